package io.hyperops.engine.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperops.engine.text.Suggestions;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one JSON object into a settings record, reporting every unknown key and every bad value rather
 * than stopping at the first. Absent keys are passed as {@code null} so that the record's compact
 * constructor, the one place defaults live, fills them in; its {@link IllegalArgumentException}s become
 * problems too.
 */
final class RecordBinder
{
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private final ObjectMapper mapper;

    RecordBinder(ObjectMapper mapper)
    {
        this.mapper = mapper;
    }

    static String jsonName(RecordComponent component)
    {
        return SNAKE_CASE.translate(component.getName());
    }

    static Map<String, RecordComponent> components(Class<? extends Record> type)
    {
        Map<String, RecordComponent> result = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            result.put(jsonName(component), component);
        }
        return result;
    }

    /**
     * @param node the object to read; {@code null} or missing reads as an empty object
     * @param ignored keys of the object that the caller reads itself
     */
    <R extends Record> Optional<R> bind(JsonNode node, String pointer, Class<R> type, Set<String> ignored, ProblemCollector problems)
    {
        if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
            problems.atValue(pointer, "must be an object { ... }, not " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return Optional.empty();
        }
        ObjectNode object = node instanceof ObjectNode objectNode ? objectNode : mapper.createObjectNode();
        Map<String, RecordComponent> components = components(type);
        int before = problems.size();
        reportUnknownKeys(object, pointer, components, ignored, problems);

        List<Object> arguments = new ArrayList<>();
        for (Map.Entry<String, RecordComponent> entry : components.entrySet()) {
            arguments.add(readComponent(object.get(entry.getKey()), pointer + "/" + entry.getKey(), entry.getValue(), problems));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return construct(type, arguments, pointer, object, problems);
    }

    /**
     * Where a record's refusal points: at the setting its message starts with ("retention_days must be ...",
     * "recipient_key_file /etc/keys.asc does not exist") when the file sets it, so the operator is sent to
     * that line; otherwise at the whole object.
     */
    private static String refusalPointer(String pointer, ObjectNode object, String message)
    {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (message.startsWith(name + " ") || message.startsWith(name + ":")) {
                return pointer + "/" + name;
            }
        }
        return pointer;
    }

    private static void reportUnknownKeys(ObjectNode object, String pointer, Map<String, RecordComponent> components, Set<String> ignored, ProblemCollector problems)
    {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!components.containsKey(name) && !ignored.contains(name)) {
                List<String> known = new ArrayList<>(components.keySet());
                known.addAll(ignored);
                String hint = Suggestions.didYouMean(name, known);
                if (hint.isEmpty()) {
                    hint = known.isEmpty() ? "; this section takes no keys" : "; known keys: " + String.join(", ", known);
                }
                problems.atKey(pointer + "/" + name, "unknown key '" + name + "'" + hint);
            }
        }
    }

    private Object readComponent(JsonNode value, String pointer, RecordComponent component, ProblemCollector problems)
    {
        if (value == null || value.isNull()) {
            if (component.getType().isPrimitive()) {
                problems.atValue(pointer, "is required");
            }
            return null;
        }
        JavaType javaType = mapper.getTypeFactory().constructType(component.getGenericType());
        // Settings nested in settings are read here, key by key, so that each of their problems is
        // reported with its place and a suggestion, as at the top; Jackson would stop at the first.
        if (bindsItself(javaType)) {
            return readNested(value, pointer, javaType.getRawClass(), problems).orElse(null);
        }
        if (javaType.isCollectionLikeType() && javaType.getRawClass() == List.class && bindsItself(javaType.getContentType())) {
            return readList(value, pointer, javaType.getContentType().getRawClass(), problems);
        }
        Optional<String> wrongKind = wrongKind(value, javaType);
        if (wrongKind.isPresent()) {
            problems.atValue(pointer, wrongKind.get());
            return null;
        }
        try {
            return mapper.readerFor(javaType).readValue(mapper.treeAsTokens(value));
        }
        catch (JsonMappingException e) {
            String nested = e.getPath().stream()
                    .map(reference -> reference.getFieldName() != null ? "/" + reference.getFieldName() : "/" + reference.getIndex())
                    .reduce("", String::concat);
            problems.atValue(pointer + nested, describe(e, javaType));
            return null;
        }
        catch (IOException e) {
            problems.atValue(pointer, e.getMessage());
            return null;
        }
    }

    /**
     * Jackson would coerce across JSON's kinds: 5 into the text "5", "5" and 3.7 into a whole number, "false"
     * into a boolean. A config value of the wrong kind is a mistake worth reporting, not guessing at.
     */
    private static Optional<String> wrongKind(JsonNode value, JavaType type)
    {
        Class<?> raw = type.getRawClass();
        if ((raw == String.class || raw == Path.class) && !value.isTextual()) {
            return Optional.of("expected a text in quotes, not " + kind(value));
        }
        if ((raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) && !value.isIntegralNumber()) {
            return Optional.of("expected a whole number, not " + kind(value));
        }
        if ((raw == Boolean.class || raw == boolean.class) && !value.isBoolean()) {
            return Optional.of("expected true or false, not " + kind(value));
        }
        if (type.isCollectionLikeType() && !value.isArray()) {
            return Optional.of("expected a list [ ... ], not " + kind(value) + (value.isTextual() ? "; for one item write [" + value + "]" : ""));
        }
        return Optional.empty();
    }

    private static String kind(JsonNode value)
    {
        if (value.isTextual()) {
            return "the text " + value;
        }
        if (value.isNumber()) {
            return "the number " + value;
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        return value.isArray() ? "a list" : value.isObject() ? "an object" : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A record, or an interface whose records are told apart by a property ({@code "type": "git"}). */
    private static boolean bindsItself(JavaType type)
    {
        Class<?> raw = type.getRawClass();
        return raw.isRecord() || (raw.isInterface() && raw.isAnnotationPresent(JsonSubTypes.class) && typeProperty(raw).isPresent());
    }

    private static Optional<String> typeProperty(Class<?> type)
    {
        JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
        return info != null && info.use() == JsonTypeInfo.Id.NAME && !info.property().isEmpty() ? Optional.of(info.property()) : Optional.empty();
    }

    private List<Object> readList(JsonNode value, String pointer, Class<?> element, ProblemCollector problems)
    {
        if (!value.isArray()) {
            problems.atValue(pointer, "must be a list [ ... ], not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            return null;
        }
        int before = problems.size();
        List<Object> elements = new ArrayList<>();
        for (int index = 0; index < value.size(); index++) {
            JsonNode item = value.get(index);
            if (item.isNull()) {
                // bind would read null as an empty object, all defaults: in a list that is a slip, not a choice
                problems.atValue(pointer + "/" + index, "must be an object { ... }, not null");
                continue;
            }
            readNested(item, pointer + "/" + index, element, problems).ifPresent(elements::add);
        }
        return problems.size() > before ? null : List.copyOf(elements);
    }

    @SuppressWarnings("unchecked") // a record class, checked by bindsItself; the chosen subtype is one of the interface's records
    private Optional<Object> readNested(JsonNode value, String pointer, Class<?> type, ProblemCollector problems)
    {
        if (type.isRecord()) {
            return bind(value, pointer, (Class<? extends Record>) type, Set.of(), problems).map(Object.class::cast);
        }
        if (!value.isObject()) {
            problems.atValue(pointer, "must be an object { ... }, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            return Optional.empty();
        }
        String property = typeProperty(type).orElseThrow();
        Map<String, Class<?>> subtypes = new LinkedHashMap<>();
        for (JsonSubTypes.Type subtype : type.getAnnotation(JsonSubTypes.class).value()) {
            subtypes.put(subtype.name(), subtype.value());
        }
        JsonNode name = value.get(property);
        if (name == null || !name.isTextual()) {
            problems.atValue(pointer, "needs \"" + property + "\": one of " + String.join(", ", subtypes.keySet()));
            return Optional.empty();
        }
        Class<?> chosen = subtypes.get(name.asText());
        if (chosen == null || !chosen.isRecord()) {
            String hint = Suggestions.didYouMean(name.asText(), subtypes.keySet());
            problems.atValue(pointer + "/" + property, "unknown " + property + " '" + name.asText() + "'" + (hint.isEmpty() ? "; one of " + String.join(", ", subtypes.keySet()) : hint));
            return Optional.empty();
        }
        return bind(value, pointer, (Class<? extends Record>) chosen, Set.of(property), problems).map(Object.class::cast);
    }

    private static String describe(JsonMappingException e, JavaType type)
    {
        String message = e.getOriginalMessage();
        if (message.startsWith("Cannot deserialize") || message.startsWith("Unexpected token")) {
            // Jackson's wording names Java types; say what the file should hold instead.
            return "expected " + TypeNames.describe(type);
        }
        return message;
    }

    private static <R extends Record> Optional<R> construct(Class<R> type, List<Object> arguments, String pointer, ObjectNode object, ProblemCollector problems)
    {
        Class<?>[] parameterTypes = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return Optional.of(constructor.newInstance(arguments.toArray()));
        }
        catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                String message = String.valueOf(cause.getMessage());
                problems.atValue(refusalPointer(pointer, object, message), message);
                return Optional.empty();
            }
            throw new IllegalStateException("settings record " + type.getName() + " failed to build", cause);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("settings record " + type.getName() + " cannot be built", e);
        }
    }
}
