package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Task;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.expr.Scope;
import dev.sluice.engine.expr.Values;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Step;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/**
 * Turns a ready task into what a worker runs: the expression scope, the templated command and
 * environment, the inputs from upstream outputs, and the cache key. Pure apart from reading the
 * step's {@code cache_files}.
 */
final class TaskPreparer {

    /** A task ready to be dispatched or served from the cache. */
    record Prepared(String command, Path workdir, Map<String, String> env, List<Artifact> inputs, String cacheKey,
            List<Artifact> models) {}

    private static final Pattern STEP_REFERENCE =
            Pattern.compile("steps\\s*(?:\\.\\s*([a-z0-9_]+)|\\[\\s*[\"']([a-z0-9_-]+)[\"']\\s*\\])");

    private final Expressions expressions;
    private final long maxLogBytes;
    private final Map<String, Set<String>> referenced = new java.util.concurrent.ConcurrentHashMap<>();

    private final ModelInputs modelInputs;

    TaskPreparer(Expressions expressions, long maxLogBytes, ModelInputs modelInputs) {
        this.expressions = expressions;
        this.maxLogBytes = maxLogBytes;
        this.modelInputs = modelInputs;
    }

    /** Evaluates a task's {@code if:} condition against its upstream results. */
    boolean condition(ActiveRun run, Task task) {
        if (!task.step().models().isEmpty() && modelInputs != null && !run.models.containsKey(task.id())) {
            String missing = modelInputs.resolve(run, task);
            if (missing != null) throw new dev.sluice.engine.run.Decider.Unrunnable(missing);
        }
        return expressions.test(task.step().condition(), scope(run, task));
    }

    /** @throws dev.sluice.engine.expr.ExpressionException when an expression fails at run time */
    Prepared prepare(ActiveRun run, Task task) {
        Pipeline pipeline = run.plan.pipeline();
        Step step = task.step();
        Supplier<Scope> scope = memoize(() -> scope(run, task));
        String command = hasExpression(step.run()) ? expressions.renderCommand(step.run(), scope.get()) : step.run();

        Map<String, String> env = new TreeMap<>();
        for (var e : pipeline.env().entrySet()) env.put(e.getKey(), text(e.getValue(), scope));
        for (var e : step.env().entrySet()) env.put(e.getKey(), text(e.getValue(), scope));
        run.record.params().forEach((k, v) -> env.put("SLUICE_PARAM_" + k.toUpperCase(Locale.ROOT), Values.format(v)));
        task.matrix().forEach((k, v) -> env.put("SLUICE_MATRIX_" + k.toUpperCase(Locale.ROOT), Values.format(v)));
        env.put("SLUICE_RUN_ID", run.id());
        env.put("SLUICE_PIPELINE", pipeline.name());
        env.put("SLUICE_STEP", task.id());
        env.put("SLUICE_LOGICAL_DATE", run.record.logicalDate().toString());

        List<Artifact> inputs = new ArrayList<>();
        for (String need : task.needs()) {
            for (Artifact a : run.outputs.getOrDefault(need, List.of())) {
                inputs.add(new Artifact(need, a.path(), a.sha256(), a.size()));
            }
        }
        Path workdir = step.workdir() == null ? pipeline.baseDir() : pipeline.baseDir().resolve(step.workdir()).normalize();
        List<ModelInputs.Resolved> resolved = run.models.getOrDefault(task.id(), List.of());
        List<Artifact> models = new ArrayList<>();
        for (ModelInputs.Resolved m : resolved) models.addAll(m.artifacts());
        String cacheKey = step.cache() ? cacheKey(pipeline, task, command, env, inputs, workdir, resolved) : null;
        return new Prepared(command, workdir, env, inputs, cacheKey, models);
    }

    private String text(String template, Supplier<Scope> scope) {
        return hasExpression(template) ? expressions.renderText(template, scope.get()) : template;
    }

    private static boolean hasExpression(String template) {
        return template.contains("${{");
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) value = supplier.get();
                return value;
            }
        };
    }

    TaskRequest request(Prepared p, Task task, AttemptKey key) {
        Map<String, String> env = new LinkedHashMap<>(p.env());
        env.put("SLUICE_ATTEMPT", Integer.toString(key.attempt()));
        return new TaskRequest(key, p.command(), p.workdir().toString(), env, task.step().outputs(), p.inputs(),
                task.step().timeout(), maxLogBytes, p.models());
    }

    Scope scope(ActiveRun run, Task task) {
        Map<String, String> runInfo = Map.of(
                "id", run.id(),
                "logical_date", run.record.logicalDate().toString(),
                "pipeline", run.plan.pipeline().name(),
                "status", run.record.status().name());
        Scope scope = new Scope(run.record.params(), task.matrix(), runInfo, stepViews(run, referencedSteps(task.step())));
        List<ModelInputs.Resolved> models = run.models.get(task.id());
        if (models == null && !task.step().models().isEmpty() && modelInputs != null) {
            modelInputs.resolve(run, task); // a missing model fails the task at dispatch
            models = run.models.get(task.id());
        }
        if (models == null || models.isEmpty()) return scope;
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (ModelInputs.Resolved m : models) byKey.put(m.key(), m.scope());
        return scope.withModels(byKey);
    }

    /**
     * The steps a step's expressions name ({@code steps.ID} or {@code steps["ID"]}), found once per
     * step: a scope holds only those, so preparing a task does not cost the size of the run.
     * Validation already refused names that are not upstream.
     */
    private Set<String> referencedSteps(Step step) {
        return referenced.computeIfAbsent(step.id(), id -> {
            Set<String> ids = new HashSet<>();
            List<String> texts = new ArrayList<>(step.env().values());
            texts.add(step.run());
            if (step.condition() != null) texts.add(step.condition());
            if (step.register() != null && step.register().promote() != null && step.register().promote().condition() != null) {
                texts.add(step.register().promote().condition());
            }
            for (String text : texts) {
                Matcher m = STEP_REFERENCE.matcher(text);
                while (m.find()) ids.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            return ids;
        });
    }

    private static Map<String, Scope.StepView> stepViews(ActiveRun run, Set<String> stepIds) {
        Map<String, Scope.StepView> views = new LinkedHashMap<>();
        for (String stepId : stepIds) {
            List<TaskRecord> tasks = new ArrayList<>();
            for (String taskId : run.tasksOfStep(stepId)) tasks.add(run.tasks.get(taskId));
            if (tasks.isEmpty()) continue;
            StepState status = aggregate(tasks);
            Map<String, Double> metrics = tasks.size() == 1 ? run.metrics.getOrDefault(tasks.get(0).taskId(), Map.of()) : Map.of();
            views.put(stepId, new Scope.StepView(status.name(), metrics));
        }
        return views;
    }

    /** A matrix step's status: FAILED, else CANCELLED, else SKIPPED if any variant is; SUCCEEDED if all are. */
    private static StepState aggregate(List<TaskRecord> tasks) {
        for (StepState s : List.of(StepState.FAILED, StepState.CANCELLED, StepState.SKIPPED)) {
            if (tasks.stream().anyMatch(t -> t.status() == s)) return s;
        }
        return tasks.stream().map(TaskRecord::status).filter(s -> s != StepState.SUCCEEDED).findFirst()
                .orElse(StepState.SUCCEEDED);
    }

    /**
     * The spec's cache key: templated command, env, upstream output hashes, matrix values and the
     * content of {@code cache_files}; plus the pipeline, step and declared outputs, so that two
     * steps never share an entry by accident. Sluice's per-attempt variables are left out.
     */
    private static String cacheKey(Pipeline pipeline, Task task, String command, Map<String, String> env,
            List<Artifact> inputs, Path workdir, List<ModelInputs.Resolved> models) {
        MessageDigest md = sha256();
        field(md, "pipeline", pipeline.name());
        field(md, "step", task.stepId());
        field(md, "command", command);
        env.forEach((k, v) -> {
            if (!k.equals("SLUICE_RUN_ID") && !k.equals("SLUICE_LOGICAL_DATE")) field(md, "env " + k, v);
        });
        task.matrix().forEach((k, v) -> field(md, "matrix " + k, Values.format(v)));
        inputs.stream()
                .sorted((a, b) -> (a.from() + "/" + a.path()).compareTo(b.from() + "/" + b.path()))
                .forEach(a -> field(md, "input " + a.from() + "/" + a.path(), a.sha256()));
        task.step().outputs().forEach(o -> field(md, "output", o));
        for (ModelInputs.Resolved m : models) field(md, "model " + m.key(), m.version().sha256());
        for (String f : task.step().cacheFiles()) field(md, "file " + f, fileHash(workdir.resolve(f)));
        return HexFormat.of().formatHex(md.digest());
    }

    /** A file's content hash; a folder's covers every file under it (paths and contents); "missing" when absent. */
    private static String fileHash(Path file) {
        MessageDigest md = sha256();
        try {
            if (Files.isDirectory(file)) {
                List<Path> files;
                try (var walk = Files.walk(file)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) field(md, file.relativize(f).toString(), fileHash(f));
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[65536];
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "missing";
        }
    }

    private static void field(MessageDigest md, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        md.update(Integer.toString(n.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(n);
        md.update(Integer.toString(v.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(v);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
