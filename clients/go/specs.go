package sluice

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/sluice-io/sluice/clients/go/sluicev1"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"gopkg.in/yaml.v3"
)

// ReadPipeline reads a YAML or JSON pipeline file into the Pipeline message, as the service's own reader does: the
// file is the message's protobuf JSON mapping, enum values may be written in any case ("merge" as well as
// "MERGE"), scalars given for text fields become text, and every unknown key or wrongly typed value is reported
// with its path at once, as an *Error with code InvalidArgument.
func ReadPipeline(path string) (*sluicev1.Pipeline, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, invalidSpec(path, []FieldViolation{{Description: "cannot read the file: " + err.Error()}})
	}
	return ParsePipeline(text, path)
}

// ParsePipeline reads spec text; YAML is a superset of JSON, so both spellings parse here. origin names the text
// in errors. Problems come in the order of the file's keys.
func ParsePipeline(text []byte, origin string) (*sluicev1.Pipeline, error) {
	var document yaml.Node
	if err := yaml.Unmarshal(text, &document); err != nil {
		return nil, invalidSpec(origin, []FieldViolation{{Description: "malformed YAML/JSON: " + err.Error()}})
	}
	if len(document.Content) == 0 || isNull(document.Content[0]) {
		return nil, invalidSpec(origin, []FieldViolation{{Description: "the file is empty"}})
	}
	if key := duplicateKey(document.Content[0]); key != nil {
		return nil, invalidSpec(origin, []FieldViolation{{Description: fmt.Sprintf(
			"malformed YAML/JSON: duplicate key %q (line %d, column %d)", key.Value, key.Line, key.Column)}})
	}
	var problems []FieldViolation
	checked := checkMessage(document.Content[0], (&sluicev1.Pipeline{}).ProtoReflect().Descriptor(), "", &problems)
	if len(problems) > 0 {
		return nil, invalidSpec(origin, problems)
	}
	encoded, err := json.Marshal(checked)
	if err != nil {
		return nil, invalidSpec(origin, []FieldViolation{{Description: err.Error()}})
	}
	pipeline := &sluicev1.Pipeline{}
	if err := protojson.Unmarshal(encoded, pipeline); err != nil {
		return nil, invalidSpec(origin, []FieldViolation{{Description: err.Error()}})
	}
	return pipeline, nil
}

func invalidSpec(origin string, problems []FieldViolation) *Error {
	return &Error{Code: codes.InvalidArgument, Message: fmt.Sprintf("%s: %d problem(s)", origin, len(problems)),
		FieldViolations: problems}
}

func checkMessage(node *yaml.Node, message protoreflect.MessageDescriptor, path string, problems *[]FieldViolation) any {
	node = resolve(node)
	if strings.HasPrefix(string(message.FullName()), "google.protobuf.") {
		return plain(node) // well-known types have JSON spellings of their own, which protojson checks
	}
	if node.Kind != yaml.MappingNode {
		addProblem(problems, path, fmt.Sprintf("expected an object (%s), got %s", message.Name(), describe(node)))
		return nil
	}
	checked := map[string]any{}
	for index := 0; index+1 < len(node.Content); index += 2 {
		key, value := node.Content[index].Value, node.Content[index+1]
		fieldPath := join(path, key)
		field := message.Fields().ByName(protoreflect.Name(key))
		if field == nil {
			field = message.Fields().ByJSONName(key)
		}
		switch {
		case field == nil:
			addProblem(problems, fieldPath, fmt.Sprintf("unknown field; %s has: %s", message.Name(), fieldNames(message)))
		case !isNull(value):
			checked[key] = checkField(value, field, fieldPath, problems)
		}
	}
	return checked
}

func checkField(node *yaml.Node, field protoreflect.FieldDescriptor, path string, problems *[]FieldViolation) any {
	node = resolve(node)
	switch {
	case field.IsMap():
		if node.Kind != yaml.MappingNode {
			addProblem(problems, path, "expected a map, got "+describe(node))
			return nil
		}
		checked := map[string]any{}
		for index := 0; index+1 < len(node.Content); index += 2 {
			key := node.Content[index].Value
			checked[key] = checkValue(node.Content[index+1], field.MapValue(), path+"."+key, problems)
		}
		return checked
	case field.IsList():
		if node.Kind != yaml.SequenceNode {
			addProblem(problems, path, "expected a list, got "+describe(node))
			return nil
		}
		checked := make([]any, len(node.Content))
		for index, item := range node.Content {
			checked[index] = checkValue(item, field, fmt.Sprintf("%s[%d]", path, index), problems)
		}
		return checked
	default:
		return checkValue(node, field, path, problems)
	}
}

func checkValue(node *yaml.Node, field protoreflect.FieldDescriptor, path string, problems *[]FieldViolation) any {
	node = resolve(node)
	if field.Kind() == protoreflect.MessageKind || field.Kind() == protoreflect.GroupKind {
		return checkMessage(node, field.Message(), path, problems)
	}
	value := plain(node)
	switch field.Kind() {
	case protoreflect.EnumKind:
		if text, ok := value.(string); ok {
			match := field.Enum().Values().ByName(protoreflect.Name(strings.ToUpper(text)))
			if match != nil && match.Number() != 0 {
				return string(match.Name())
			}
		}
		addProblem(problems, path, fmt.Sprintf("expected one of %s, got %s", enumNames(field.Enum()), describe(node)))
	case protoreflect.StringKind:
		if node.Kind == yaml.ScalarNode {
			return node.Value // a scalar's text as written: 1.50 stays "1.50", 2024-01-01 stays a date
		}
		addProblem(problems, path, "expected text, got "+describe(node))
	case protoreflect.BytesKind:
		if _, ok := value.(string); ok {
			return value
		}
		addProblem(problems, path, "expected base64 text, got "+describe(node))
	case protoreflect.BoolKind:
		if _, ok := value.(bool); ok {
			return value
		}
		addProblem(problems, path, "expected true or false, got "+describe(node))
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		switch value.(type) {
		case int, float64:
			return value
		}
		addProblem(problems, path, "expected a number, got "+describe(node))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind, protoreflect.Uint32Kind,
		protoreflect.Fixed32Kind:
		if whole, ok := value.(int); ok && whole >= math.MinInt32 && whole <= math.MaxInt32 {
			return value
		}
		addProblem(problems, path, "expected a whole number, got "+describe(node))
	default: // the 64-bit integer kinds
		if _, ok := value.(int); ok {
			return value
		}
		addProblem(problems, path, "expected a whole number, got "+describe(node))
	}
	return nil
}

// duplicateKey is the first key given twice in one mapping, if any: the service refuses such files, and decoding
// into a node does not.
func duplicateKey(node *yaml.Node) *yaml.Node {
	if node.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for index := 0; index+1 < len(node.Content); index += 2 {
			key := node.Content[index]
			if seen[key.Value] {
				return key
			}
			seen[key.Value] = true
		}
	}
	for _, child := range node.Content {
		if duplicate := duplicateKey(child); duplicate != nil {
			return duplicate
		}
	}
	return nil
}

// resolve follows a YAML alias (*name) to the node it names.
func resolve(node *yaml.Node) *yaml.Node {
	for node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	return node
}

func isNull(node *yaml.Node) bool {
	node = resolve(node)
	return node.Kind == yaml.ScalarNode && node.Tag == "!!null"
}

// plain is the node as YAML decodes it: yes/no/on/off stay text, as YAML 1.2 has it.
func plain(node *yaml.Node) any {
	var value any
	if err := node.Decode(&value); err != nil {
		return node.Value
	}
	return value
}

func addProblem(problems *[]FieldViolation, path, description string) {
	*problems = append(*problems, FieldViolation{Field: path, Description: description})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldNames(message protoreflect.MessageDescriptor) string {
	names := make([]string, message.Fields().Len())
	for index := range names {
		names[index] = string(message.Fields().Get(index).Name())
	}
	return strings.Join(names, ", ")
}

func enumNames(enum protoreflect.EnumDescriptor) string {
	var names []string
	for index := range enum.Values().Len() {
		if value := enum.Values().Get(index); value.Number() != 0 {
			names = append(names, string(value.Name()))
		}
	}
	return strings.Join(names, ", ")
}

func describe(node *yaml.Node) string {
	switch node.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	}
	switch scalar := plain(node).(type) {
	case bool:
		return strconv.FormatBool(scalar)
	case string:
		return "text " + shorten(strconv.Quote(scalar))
	default:
		return "the number " + shorten(fmt.Sprint(scalar))
	}
}

func shorten(text string) string {
	if len(text) > 60 {
		return text[:57] + "..."
	}
	return text
}
