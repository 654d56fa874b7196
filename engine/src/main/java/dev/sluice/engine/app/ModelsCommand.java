package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.registry.Actor;
import dev.sluice.engine.registry.AliasConflict;
import dev.sluice.engine.registry.Expected;
import dev.sluice.engine.registry.MoveResult;
import dev.sluice.engine.registry.Names;
import dev.sluice.engine.registry.RegistryException;
import dev.sluice.engine.report.ModelViews;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "models", mixinStandardHelpOptions = true, subcommands = ModelsCommand.Alias.class,
        description = {"List the model registry, or one model's versions, aliases and alias history: the local data dir's, "
                + "or a server's with --server (or $SLUICE_SERVER).",
                "'sluice models alias NAME ALIAS VERSION --note TEXT' moves an alias."})
final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model: its versions and alias history.")
    String name;

    @Option(names = "--json", description = "Print the answer as JSON (the API's shape).")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name != null && Names.modelProblem(name) != null) throw new IllegalArgumentException(Names.modelProblem(name));
        JsonNode answer;
        String url = serverOptions.url(System.getenv());
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            answer = client.getJson(name == null ? "/api/models" : "/api/models/" + name);
        } else {
            try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                Object view = name == null ? ModelViews.list(engine.store.registry())
                        : ModelViews.detail(engine.store.registry(), name)
                                .orElseThrow(() -> new IllegalArgumentException("no model " + name));
                answer = Json.read(Json.write(view));
            }
        }
        if (json) out.println(Json.writePretty(answer));
        else if (name == null) printList(answer, out);
        else printModel(answer, out);
        out.flush();
        return 0;
    }

    private static void printList(JsonNode answer, PrintWriter out) {
        JsonNode models = answer.path("models");
        if (models.isEmpty()) {
            out.println("no models yet: a pipeline step with 'register:' creates one");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : models) {
            rows.add(List.of(m.path("name").asText(), m.path("latest_version").isNull() ? "-" : "v" + m.path("latest_version").asInt(),
                    aliases(m.path("aliases")), m.path("updated_at").asText("")));
        }
        out.print(Format.table(List.of("MODEL", "LATEST", "ALIASES", "UPDATED"), rows));
    }

    private static void printModel(JsonNode m, PrintWriter out) {
        out.printf("model %s  aliases: %s%n", m.path("name").asText(), m.path("aliases").isEmpty() ? "none" : aliases(m.path("aliases")));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode v : m.path("versions")) {
            List<String> names = new ArrayList<>();
            v.path("aliases").forEach(a -> names.add(a.asText()));
            List<String> metrics = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = v.path("metrics").fields();
            while (it.hasNext()) {
                var e = it.next();
                metrics.add(e.getKey() + "=" + Format.number(e.getValue().asDouble()));
            }
            rows.add(List.of("v" + v.path("version").asInt(), String.join(",", names), v.path("kind").asText(),
                    v.path("sha256").asText().substring(0, 12), String.join(" ", metrics),
                    v.path("run_id").asText("-"), v.path("created_at").asText("")));
        }
        out.print(Format.table(List.of("VERSION", "ALIASES", "KIND", "SHA256", "METRICS", "RUN", "CREATED"), rows));
        if (m.path("history").isEmpty()) return;
        out.println();
        out.println("alias history (newest first):");
        for (JsonNode h : m.path("history")) {
            JsonNode by = h.path("by");
            String who = by.path("type").asText() + (by.path("run_id").isTextual() ? " " + by.path("run_id").asText()
                    + (by.path("task_id").isTextual() ? "/" + by.path("task_id").asText() : "") : "");
            out.printf("  %s  %s: %s -> %s  by %s%s%n", h.path("at").asText(), h.path("alias").asText(),
                    h.path("from_version").isNull() ? "none" : "v" + h.path("from_version").asInt(),
                    h.path("to_version").isNull() ? "deleted" : "v" + h.path("to_version").asInt(), who,
                    h.path("note").isTextual() ? "  note: " + h.path("note").asText() : "");
        }
    }

    private static String aliases(JsonNode aliases) {
        List<String> parts = new ArrayList<>();
        aliases.fields().forEachRemaining(e -> parts.add(e.getKey() + "=v" + e.getValue().asInt()));
        return String.join(" ", parts);
    }

    @Command(name = "alias", mixinStandardHelpOptions = true,
            description = {"Move (or set) an alias of a model to a version, with a note kept in the alias history; "
                    + "--delete removes the alias. With --expect, the move happens only if the alias is still there "
                    + "(else exit 2 naming where it is)."})
    static final class Alias implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias, e.g. champion.")
        String alias;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION", description = "The version it points at (not with --delete).")
        Integer version;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, kept in the alias history.")
        String note;

        @Option(names = "--expect", paramLabel = "VERSION", description = "Move only if the alias points at this version now.")
        Integer expect;

        @Option(names = "--expect-none", description = "Set only if the alias does not exist yet.")
        boolean expectNone;

        @Option(names = "--delete", description = "Remove the alias.")
        boolean delete;

        @Option(names = "--json", description = "Print the answer as JSON.")
        boolean json;

        @Mixin
        StoreOptions storeOptions;

        @Mixin
        ServerOptions serverOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String problem = Names.modelProblem(name);
            if (problem == null) problem = Names.aliasProblem(alias);
            if (problem != null) throw new IllegalArgumentException(problem);
            if (delete == (version != null)) throw new IllegalArgumentException("give a VERSION, or --delete");
            if (version != null && version < 1) throw new IllegalArgumentException("a version is a whole number from 1");
            if (expect != null && expectNone) throw new IllegalArgumentException("--expect and --expect-none exclude each other");
            if (note != null && note.length() > 2000) throw new IllegalArgumentException("--note is longer than 2000 characters");
            Expected expected = expectNone ? Expected.absent() : expect != null ? Expected.at(expect) : Expected.any();
            Map<String, Object> result;
            String url = serverOptions.url(System.getenv());
            if (url != null && Remote.wanted(serverOptions, storeOptions)) {
                ServerClient client = serverOptions.client(url, System.getenv());
                Map<String, Object> body = new LinkedHashMap<>();
                if (!delete) body.put("version", version);
                if (expectNone) body.put("expected_version", null);
                else if (expect != null) body.put("expected_version", expect);
                if (note != null) body.put("note", note);
                body.put("by", "cli");
                String path = "/api/models/" + name + "/aliases/" + alias;
                JsonNode answer = delete ? client.deleteJson(path, body) : client.putJson(path, body);
                result = new LinkedHashMap<>();
                answer.fields().forEachRemaining(e -> result.put(e.getKey(), Json.toJava(e.getValue())));
            } else {
                try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                    MoveResult r = engine.store.registry().moveAlias(name, alias, delete ? null : version, expected, Actor.cli(), note);
                    result = new LinkedHashMap<>();
                    result.put("model", r.model());
                    result.put("alias", r.alias());
                    result.put("version", r.version());
                    result.put("previous_version", r.previousVersion());
                } catch (AliasConflict e) {
                    throw new IllegalArgumentException("conflict: " + e.getMessage());
                } catch (RegistryException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
            if (json) {
                out.println(Json.writePretty(result));
            } else {
                Object prev = result.get("previous_version");
                Object now = result.get("version");
                out.printf("%s %s: %s -> %s%n", name, alias, prev == null ? "none" : "v" + prev, now == null ? "deleted" : "v" + now);
            }
            out.flush();
            return 0;
        }
    }
}
