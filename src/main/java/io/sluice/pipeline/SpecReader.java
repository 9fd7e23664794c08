package io.sluice.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.sluice.proto.v1.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads pipeline files, YAML or JSON, into the {@link Pipeline} message through its protobuf JSON mapping.
 * Before handing the tree to {@link JsonFormat} it walks it against the message descriptor, so that every
 * unknown key and wrongly typed value is reported with its path at once, and enum values may be written in
 * any case ({@code merge} as well as {@code MERGE}).
 */
public final class SpecReader {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,19}");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();

    private SpecReader() {
    }

    /** Reads a {@code .yaml}, {@code .yml} or {@code .json} pipeline file. */
    public static Pipeline read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidSpecException(file.toString(),
                    List.of(Problem.invalid("", "cannot read the file: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** Reads spec text; YAML is a superset of JSON, so both spellings parse here. */
    public static Pipeline parse(String text, String origin) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(origin, List.of(Problem.invalid("", "malformed YAML/JSON: " + e.getOriginalMessage()
                    + location(e))));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidSpecException(origin, List.of(Problem.invalid("", "the file is empty")));
        }
        List<Problem> problems = new ArrayList<>();
        JsonNode checked = check(tree, Pipeline.getDescriptor(), "", problems);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(origin, problems);
        }
        Pipeline.Builder builder = Pipeline.newBuilder();
        try {
            JsonFormat.parser().merge(JSON.writeValueAsString(checked), builder);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new InvalidSpecException(origin, List.of(Problem.invalid("", e.getMessage())));
        }
        return builder.build();
    }

    /** The spec as canonical JSON with proto field names, the form it is stored in. */
    public static String toJson(Pipeline pipeline) {
        try {
            return PRINTER.print(pipeline);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a built Pipeline always prints", e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static JsonNode check(JsonNode node, Descriptor type, String path, List<Problem> problems) {
        if (type.getFullName().startsWith("google.protobuf.")) {
            return node; // well-known types have their own JSON spellings; JsonFormat checks them
        }
        if (!node.isObject()) {
            problems.add(Problem.invalid(path, "expected an object (" + type.getName() + "), got " + describe(node)));
            return node;
        }
        ObjectNode checked = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String fieldPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            FieldDescriptor field = findField(type, entry.getKey());
            if (field == null) {
                problems.add(Problem.invalid(fieldPath, "unknown field; " + type.getName() + " has: " + fieldNames(type)));
                continue;
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                checked.set(entry.getKey(), checkMap(value, field, fieldPath, problems));
            } else if (field.isRepeated()) {
                if (!value.isArray()) {
                    problems.add(Problem.invalid(fieldPath, "expected a list, got " + describe(value)));
                    continue;
                }
                var list = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < value.size(); i++) {
                    list.add(checkValue(value.get(i), field, fieldPath + "[" + i + "]", problems));
                }
                checked.set(entry.getKey(), list);
            } else {
                checked.set(entry.getKey(), checkValue(value, field, fieldPath, problems));
            }
        }
        return checked;
    }

    private static JsonNode checkMap(JsonNode value, FieldDescriptor field, String path, List<Problem> problems) {
        if (!value.isObject()) {
            problems.add(Problem.invalid(path, "expected a map, got " + describe(value)));
            return value;
        }
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        ObjectNode checked = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            checked.set(entry.getKey(), checkValue(entry.getValue(), valueField, path + "." + entry.getKey(), problems));
        }
        return checked;
    }

    private static JsonNode checkValue(JsonNode value, FieldDescriptor field, String path, List<Problem> problems) {
        var nodes = JsonNodeFactory.instance;
        switch (field.getJavaType()) {
            case MESSAGE -> {
                return check(value, field.getMessageType(), path, problems);
            }
            case ENUM -> {
                if (value.isTextual()) {
                    EnumValueDescriptor match = field.getEnumType().findValueByName(value.asText().toUpperCase(Locale.ROOT));
                    if (match != null && match.getNumber() != 0) {
                        return nodes.textNode(match.getName());
                    }
                }
                problems.add(Problem.invalid(path, "expected one of " + enumNames(field) + ", got " + describe(value)));
                return value;
            }
            case STRING -> {
                if (value.isValueNode()) {
                    return nodes.textNode(value.asText());
                }
                problems.add(Problem.invalid(path, "expected text, got " + describe(value)));
                return value;
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value;
                }
                problems.add(Problem.invalid(path, "expected true or false, got " + describe(value)));
                return value;
            }
            case INT, LONG -> {
                if (value.isIntegralNumber() && (field.getJavaType() == FieldDescriptor.JavaType.LONG || value.canConvertToInt())) {
                    return value;
                }
                // Proto3 JSON writes 64-bit whole numbers as text ("100"): the stored spec reads back as it was written.
                if (field.getJavaType() == FieldDescriptor.JavaType.LONG && value.isTextual() && WHOLE_NUMBER.matcher(value.asText()).matches()) {
                    return value;
                }
                problems.add(Problem.invalid(path, "expected a whole number, got " + describe(value)));
                return value;
            }
            case FLOAT, DOUBLE -> {
                if (value.isNumber()) {
                    return value;
                }
                problems.add(Problem.invalid(path, "expected a number, got " + describe(value)));
                return value;
            }
            case BYTE_STRING -> {
                if (value.isTextual()) {
                    return value;
                }
                problems.add(Problem.invalid(path, "expected base64 text, got " + describe(value)));
                return value;
            }
        }
        throw new IllegalStateException("unhandled field type " + field.getJavaType());
    }

    private static FieldDescriptor findField(Descriptor type, String key) {
        FieldDescriptor byName = type.findFieldByName(key);
        if (byName != null) {
            return byName;
        }
        return type.getFields().stream().filter(field -> field.getJsonName().equals(key)).findFirst().orElse(null);
    }

    private static String fieldNames(Descriptor type) {
        return type.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
    }

    private static String enumNames(FieldDescriptor field) {
        return field.getEnumType().getValues().stream()
                .filter(value -> value.getNumber() != 0)
                .map(EnumValueDescriptor::getName)
                .collect(Collectors.joining(", "));
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "text " + shown;
            case NUMBER -> "the number " + shown;
            case BOOLEAN -> shown;
            default -> shown;
        };
    }
}
