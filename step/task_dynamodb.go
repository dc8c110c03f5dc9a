package step

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"sort"
	"strconv"
)

// NewDynamoDBUpdateItemState declares a Task state that updates an item of
// the table tableName: {"TableName": tableName} plus parameters, which
// must give "Key" and "UpdateExpression". The role may dynamodb:UpdateItem
// on that table only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html.
func NewDynamoDBUpdateItemState(name, tableName string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceDynamoDBUpdateItem, nil)
	t.parameters = withParam(parameters, "TableName", t.bind("DynamoDBTable", tableName))
	return t
}

// NewDynamoDBDeleteItemState declares a Task state that deletes an item of
// the table tableName: {"TableName": tableName} plus parameters, which
// must give "Key". The role may dynamodb:DeleteItem on that table only.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html.
func NewDynamoDBDeleteItemState(name, tableName string, parameters map[string]any) *TaskState {
	t := NewResourceTaskState(name, ResourceDynamoDBDeleteItem, nil)
	t.parameters = withParam(parameters, "TableName", t.bind("DynamoDBTable", tableName))
	return t
}

// DynamoDBPath is an attribute value taken from the state's input at run
// time: Type is DynamoDB's type ("S", "N", "BOOL", "M", "L"...) and Path a
// JSONPath. A number must be a string in DynamoDB's JSON, so an "N" path
// is wrapped in States.Format to turn the input's number into one.
type DynamoDBPath struct {
	Type string
	Path string
}

// DynamoDBItem converts Go values into DynamoDB's typed attribute values,
// the form the Key, Item and ExpressionAttributeValues parameters take:
// strings are {"S"}, numbers {"N"} (as decimal text), bools {"BOOL"}, nil
// {"NULL": true}, []byte {"B"} (base64), []string {"SS"}, slices {"L"},
// maps with string keys and structs {"M"}, and a DynamoDBPath a value
// chosen at run time ({"S.$": "$.id"}). The error names the attribute whose
// value has no DynamoDB type.
//
// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html.
func DynamoDBItem(values map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(values))
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		av, err := attributeValue(reflect.ValueOf(values[k]))
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

func attributeValue(v reflect.Value) (map[string]any, error) {
	if !v.IsValid() {
		return map[string]any{"NULL": true}, nil
	}
	if p, ok := v.Interface().(DynamoDBPath); ok {
		switch {
		case p.Type == "" || p.Path == "":
			return nil, fmt.Errorf("DynamoDBPath needs a Type and a Path, got %+v", p)
		case p.Type == "N":
			return map[string]any{"N.$": "States.Format('{}', " + p.Path + ")"}, nil
		}
		return map[string]any{p.Type + ".$": p.Path}, nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return map[string]any{"NULL": true}, nil
		}
		return attributeValue(v.Elem())
	case reflect.String:
		return map[string]any{"S": v.String()}, nil
	case reflect.Bool:
		return map[string]any{"BOOL": v.Bool()}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"N": strconv.FormatInt(v.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"N": strconv.FormatUint(v.Uint(), 10)}, nil
	case reflect.Float32, reflect.Float64:
		return map[string]any{"N": strconv.FormatFloat(v.Float(), 'f', -1, 64)}, nil
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Array {
				b := make([]byte, v.Len())
				reflect.Copy(reflect.ValueOf(b), v)
				return map[string]any{"B": base64.StdEncoding.EncodeToString(b)}, nil
			}
			return map[string]any{"B": base64.StdEncoding.EncodeToString(v.Bytes())}, nil
		}
		if v.Type().Elem().Kind() == reflect.String {
			ss := make([]any, v.Len())
			for i := range ss {
				ss[i] = v.Index(i).String()
			}
			return map[string]any{"SS": ss}, nil
		}
		list := make([]any, v.Len())
		for i := range list {
			av, err := attributeValue(v.Index(i))
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			list[i] = av
		}
		return map[string]any{"L": list}, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("a map with %s keys has no DynamoDB type; use string keys", v.Type().Key())
		}
		m := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			av, err := attributeValue(iter.Value())
			if err != nil {
				return nil, fmt.Errorf("[%q]: %w", iter.Key().String(), err)
			}
			m[iter.Key().String()] = av
		}
		return map[string]any{"M": m}, nil
	case reflect.Struct:
		m := map[string]any{}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			av, err := attributeValue(v.Field(i))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			m[f.Name] = av
		}
		return map[string]any{"M": m}, nil
	}
	return nil, fmt.Errorf("a %s has no DynamoDB type", v.Type())
}
