package io.hyperops.engine.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.plugin.RegisteredJob;
import io.hyperops.engine.schedule.Schedule;
import io.hyperops.engine.schedule.ScheduleFormatException;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Reads and validates the config file: JSON with comments, strict about every key, and one report of
 * every problem with its line and column.
 */
public final class ConfigLoader
{
    public static final Path DEFAULT_FILE = Path.of("/etc/hypervisor/hyperops.json");
    private static final String ENGINE = "engine";
    private static final JsonFactory LENIENT = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    private static final String JOBS = "jobs";

    private final ObjectMapper mapper;
    private final JobCatalog catalog;
    private final RecordBinder binder;

    public ConfigLoader(ObjectMapper mapper, JobCatalog catalog)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.binder = new RecordBinder(mapper);
    }

    /**
     * The file's {@code engine} section read leniently, for what must work while the rest of the file is
     * wrong (the control socket, the state folder): a plain parser with comments allowed, since the full
     * mapper's modules cost start-up time. When the file is no valid JSON, the engine section's text values
     * read before the error still count: a syntax error in a job further down must not send commands to
     * the default state folder when {@code state_dir} says another. A missing node when nothing can be read.
     */
    public static JsonNode engineSectionLeniently(Path file)
    {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
        try {
            return new ObjectMapper(LENIENT).readTree(text).path(ENGINE);
        }
        catch (IOException | RuntimeException e) {
            return engineValuesBeforeTheError(text);
        }
    }

    private static JsonNode engineValuesBeforeTheError(String text)
    {
        ObjectNode engine = JsonNodeFactory.instance.objectNode();
        try (JsonParser parser = LENIENT.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return MissingNode.getInstance();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                JsonToken value = parser.nextToken();
                if (section.equals(ENGINE) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_STRING) {
                            engine.put(key, parser.getText());
                        }
                        else {
                            parser.skipChildren();
                        }
                    }
                    return engine;
                }
                parser.skipChildren();
            }
        }
        catch (IOException | RuntimeException e) {
            // the syntax error: what was read before it stands
        }
        return engine.isEmpty() ? MissingNode.getInstance() : engine;
    }

    public EngineConfig load(Path file)
            throws ConfigException
    {
        return load(file, Optional.empty());
    }

    /**
     * @param zoneInForce the time zone the running engine reads schedules in, for a reload: engine settings,
     *        {@code time_zone} among them, take effect at the next start, so jobs without a zone of their own keep it
     */
    public EngineConfig load(Path file, Optional<ZoneId> zoneInForce)
            throws ConfigException
    {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw single(file, "file not found; create it (the reference is docs/configuration.md, an example is etc/hyperops.json in the installation) or pass --config FILE");
        }
        catch (IOException e) {
            throw single(file, "cannot read: " + e.getMessage());
        }
        return parse(file, text, zoneInForce);
    }

    /**
     * The file's bytes as read once by a caller that keeps them (the daemon, for its accepted copy);
     * bytes that are not UTF-8 are refused as {@link #load} refuses them, never replaced.
     */
    public EngineConfig parse(Path file, byte[] bytes, Optional<ZoneId> zoneInForce)
            throws ConfigException
    {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (CharacterCodingException e) {
            throw single(file, "cannot read: " + e.getMessage() + " (the file is not UTF-8)");
        }
        return parse(file, text, zoneInForce);
    }

    public EngineConfig parse(Path file, String text)
            throws ConfigException
    {
        return parse(file, text, Optional.empty());
    }

    /** {@link #parse(Path, String)} for a reload: see {@link #load(Path, Optional)}. */
    public EngineConfig parse(Path file, String text, Optional<ZoneId> zoneInForce)
            throws ConfigException
    {
        JsonNode root;
        SourceLocations locations;
        if (text.isBlank()) {
            // a truncated file (an editor that crashed, a full disk) must not reload as "all defaults", which
            // would, for one, turn backup encryption off
            throw single(file, "the file is empty; write {} for every default, or restore it from your copy");
        }
        try {
            // a key given twice is an error, not "the last one wins": the first is what its author meant to change
            root = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(text);
            locations = SourceLocations.scan(mapper.getFactory(), text);
        }
        catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            int line = location == null ? 0 : location.getLineNr();
            int column = location == null ? 0 : location.getColumnNr();
            String message = e.getOriginalMessage();
            throw new ConfigException(List.of(new ConfigProblem(file, line, column, "", message.startsWith("Duplicate field")
                    ? message.replace("Duplicate field", "key") + " appears twice in one object; keep one"
                    : "not valid JSON: " + message)));
        }
        catch (IOException e) {
            throw single(file, "cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            root = mapper.createObjectNode();
        }
        ProblemCollector problems = new ProblemCollector(file, locations);
        if (!root.isObject()) {
            problems.atValue("", "the file must hold one JSON object { \"engine\": {...}, \"jobs\": {...} }");
            throw new ConfigException(problems.sorted());
        }
        checkTopLevelKeys(root, problems);
        Optional<EngineSettings> engine = binder.bind(root.get(ENGINE), "/" + ENGINE, EngineSettings.class, Set.of(), problems);
        ZoneId zone = zoneInForce.orElseGet(() -> engine.map(EngineSettings::timeZone).orElse(ZoneId.systemDefault()));
        Map<String, JobConfig> jobs = readJobs(root.get(JOBS), zone, problems);
        checkOperatorJobs(root.path(ENGINE).get("operator_jobs"), problems);
        if (!problems.isEmpty() || engine.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return new EngineConfig(file, engine.get(), new TreeMap<>(jobs));
    }

    private static void checkTopLevelKeys(JsonNode root, ProblemCollector problems)
    {
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals(ENGINE) && !name.equals(JOBS)) {
                String hint = Suggestions.didYouMean(name, List.of(ENGINE, JOBS));
                problems.atKey("/" + name, "unknown key '" + name + "'" + (hint.isEmpty() ? "; the file holds \"engine\" and \"jobs\"" : hint));
            }
        }
    }

    // The default list names jobs of tasks that may not be installed; a list the operator wrote must be right.
    private void checkOperatorJobs(JsonNode operatorJobs, ProblemCollector problems)
    {
        if (operatorJobs == null || !operatorJobs.isArray()) {
            return;
        }
        for (int index = 0; index < operatorJobs.size(); index++) {
            String name = operatorJobs.get(index).asText();
            if (catalog.job(name).isEmpty()) {
                problems.atValue("/" + ENGINE + "/operator_jobs/" + index, "unknown job '" + name + "'" + Suggestions.didYouMean(name, catalog.jobs().keySet()));
            }
        }
    }

    private Map<String, JobConfig> readJobs(JsonNode jobsNode, ZoneId engineZone, ProblemCollector problems)
    {
        if (jobsNode != null && !jobsNode.isNull() && !jobsNode.isObject()) {
            problems.atValue("/" + JOBS, "must be an object whose keys are job names");
            return Map.of();
        }
        if (jobsNode != null) {
            Iterator<String> names = jobsNode.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (catalog.job(name).isEmpty()) {
                    String hint = Suggestions.didYouMean(name, catalog.jobs().keySet());
                    problems.atKey(pointer(name), "unknown job '" + name + "'" + (hint.isEmpty() ? "; known jobs: " + String.join(", ", catalog.jobs().keySet()) : hint));
                }
            }
        }
        Map<String, JobConfig> jobs = new TreeMap<>();
        for (RegisteredJob job : catalog.jobs().values()) {
            JsonNode section = jobsNode == null ? null : jobsNode.get(job.name());
            readJob(job.definition(), section, engineZone, problems).ifPresent(config -> jobs.put(job.name(), config));
        }
        return jobs;
    }

    private Optional<JobConfig> readJob(JobDefinition definition, JsonNode section, ZoneId engineZone, ProblemCollector problems)
    {
        String pointer = pointer(definition.name());
        Optional<JobSection> written = binder.bind(section, pointer, JobSection.class, Set.of(JobSection.SETTINGS), problems);
        JsonNode settingsNode = section == null ? null : section.get(JobSection.SETTINGS);
        Optional<? extends Record> settings = binder.bind(settingsNode, pointer + "/" + JobSection.SETTINGS, definition.settingsType(), Set.of(), problems);
        if (written.isEmpty()) {
            return Optional.empty();
        }
        JobSection values = written.get();
        JobDefaults defaults = definition.defaults();
        ZoneId zone = values.timeZone() != null ? values.timeZone() : engineZone;
        String expression = values.schedule() != null ? values.schedule() : defaults.schedule();
        Schedule schedule;
        try {
            schedule = Schedule.parse(expression, zone);
        }
        catch (ScheduleFormatException e) {
            problems.atValue(pointer + "/schedule", e.getMessage() + (values.schedule() == null ? " (the job's default schedule)" : ""));
            return Optional.empty();
        }
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new JobConfig(
                definition,
                values.enabled() != null ? values.enabled() : defaults.enabled(),
                schedule,
                values.jitter() != null ? values.jitter() : defaults.jitter(),
                values.catchUp() != null ? values.catchUp() : defaults.catchUp(),
                values.overlap() != null ? values.overlap() : defaults.overlap(),
                values.timeout() != null ? values.timeout() : defaults.timeout(),
                values.runAfterStart() != null ? Optional.of(values.runAfterStart()) : defaults.runAfterStart(),
                settings.get()));
    }

    private static String pointer(String jobName)
    {
        return "/" + JOBS + "/" + jobName.replace("~", "~0").replace("/", "~1");
    }

    private static ConfigException single(Path file, String message)
    {
        List<ConfigProblem> problems = new ArrayList<>();
        problems.add(new ConfigProblem(file, 0, 0, "", message));
        return new ConfigException(problems);
    }
}
