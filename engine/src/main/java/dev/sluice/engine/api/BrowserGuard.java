package dev.sluice.engine.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The defences against web pages the user visits (docs/security.md), first of every route, with or
 * without a token:
 * <ol>
 *   <li>{@code Host} must name this server ({@link AllowedHosts}): a rebound page sends its own name
 *       and gets 421, so it can neither change nor read anything;</li>
 *   <li>{@code Origin}, when sent, must be a page of this server: else 403;</li>
 *   <li>a state change (POST, PUT, PATCH, DELETE) must carry a signal no page can send across sites
 *       without a CORS preflight, which this server never grants: a {@code Content-Type} the API
 *       takes (JSON, YAML, octet-stream) or {@code X-Sluice-Request}. Form, multipart and
 *       text/plain bodies (what a form or a simple fetch sends) get 415; no signal at all gets 403.</li>
 * </ol>
 * No {@code Access-Control-Allow-*} header is ever sent, so a preflight fails in the browser.
 */
public final class BrowserGuard implements Handler<RoutingContext> {

    /** The header the designer and the CLI send on every request. */
    public static final String REQUEST_HEADER = "X-Sluice-Request";

    /** What an HTML form or a fetch without a preflight may send (the CORS-safelisted types). */
    static final Set<String> SIMPLE_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");
    /** The bodies the API takes. */
    static final Set<String> API_TYPES = Set.of("application/json", "application/yaml", "text/yaml", "application/x-yaml",
            "application/octet-stream");
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final AllowedHosts hosts;

    public BrowserGuard(AllowedHosts hosts) {
        this.hosts = hosts;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String refusal = refusal(ctx.request().method(), ctx.request().getHeader("Host"), ctx.request().getHeader("Origin"),
                ctx.request().getHeader("Content-Type"), ctx.request().getHeader(REQUEST_HEADER));
        if (refusal == null) {
            ctx.next();
            return;
        }
        int status = Integer.parseInt(refusal.substring(0, 3));
        String code = switch (status) {
            case 421 -> "host-not-allowed";
            case 415 -> "unsupported-media-type";
            default -> "forbidden";
        };
        // nothing after a refusal is worth reading, and a rebound page must not reuse the connection
        ctx.response().putHeader("Connection", "close");
        Http.error(ctx, status, code, refusal.substring(4));
    }

    /** @return null when the request may go on, else "STATUS message" (pure, for tests) */
    String refusal(HttpMethod method, String host, String origin, String contentType, String signal) {
        if (host != null && !hosts.allowsHost(host)) {
            return "421 this server does not answer to the name '" + printable(host) + "' (a page whose name was rebound to this "
                    + "address would send it); start the server with --allowed-hosts NAME to allow a name";
        }
        if (origin != null && !hosts.allowsOrigin(origin)) {
            return "403 requests from pages of '" + printable(origin) + "' are refused: only the designer served by this "
                    + "server may call it from a browser";
        }
        if (!CHANGES.contains(method)) return null;
        String type = mediaType(contentType);
        if (type != null && SIMPLE_TYPES.contains(type)) {
            return "415 form, multipart and text/plain bodies are refused: send Content-Type: application/json "
                    + "(or the header " + REQUEST_HEADER + ": 1 with no body)";
        }
        if (signal != null || (type != null && API_TYPES.contains(type))) return null;
        return "403 a " + method.name() + " needs Content-Type: application/json (or YAML, or application/octet-stream, as the "
                + "endpoint takes), or the header " + REQUEST_HEADER + ": 1 when it has no body; a web page cannot send either "
                + "to another site";
    }

    static String mediaType(String header) {
        if (header == null || header.isBlank()) return null;
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
