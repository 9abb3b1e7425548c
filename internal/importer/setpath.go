package importer

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// setPath sets the values key path (e.g. serving.maxNumSeqs, the key of an engine spec row) in the values struct
// root points to, following the fields' JSON names and allocating the blocks on the way. The value is converted to
// the field's type: a pointer field gets a pointer to it, a string is parsed for a bool or number field.
func setPath(root any, path string, val any) error {
	v := reflect.ValueOf(root).Elem()
	for _, name := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return fmt.Errorf("%s: %s is not a block", path, name)
		}
		f, ok := fieldByJSON(v, name)
		if !ok {
			return fmt.Errorf("%s: no field %s in %s", path, name, v.Type())
		}
		v = f
	}
	return assign(v, val)
}

// fieldByJSON finds the field of struct v whose JSON name is name (in embedded structs too).
func fieldByJSON(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.Anonymous && tag == "" && sf.Type.Kind() == reflect.Struct {
			if f, ok := fieldByJSON(v.Field(i), name); ok {
				return f, true
			}
			continue
		}
		if tag == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// assign stores val in dst, converting it to dst's type.
func assign(dst reflect.Value, val any) error {
	if dst.Kind() == reflect.Pointer {
		p := reflect.New(dst.Type().Elem())
		if err := assign(p.Elem(), val); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	src := reflect.ValueOf(val)
	if s, ok := val.(string); ok && dst.Kind() != reflect.String {
		return assignString(dst, s)
	}
	switch {
	case src.Kind() == dst.Kind() && src.Type().ConvertibleTo(dst.Type()):
		dst.Set(src.Convert(dst.Type()))
	case isIntKind(src.Kind()) && isIntKind(dst.Kind()):
		dst.SetInt(src.Int())
	default:
		return fmt.Errorf("a %T does not fit a %s", val, dst.Type())
	}
	return nil
}

// assignString parses s for a bool or number field.
func assignString(dst reflect.Value, s string) error {
	switch {
	case dst.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		dst.SetBool(b)
	case isIntKind(dst.Kind()):
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		dst.SetInt(n)
	case dst.Kind() == reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		dst.SetFloat(x)
	default:
		return fmt.Errorf("a string does not fit a %s", dst.Type())
	}
	return nil
}

func isIntKind(k reflect.Kind) bool {
	return k == reflect.Int || k == reflect.Int64 || k == reflect.Int32
}
