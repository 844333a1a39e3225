package compat

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// args are the decoded parameters of one call. Their accessors apply the
// conversions Python applies in 4.2.5's methods (int(offset), the truth of
// wait, str of a name); a value that Python could not convert is
// INCORRECT_PARAMETERS.
type args []any

// str returns parameter i as text: a string, or <base64> bytes (which
// 4.2.5's parser decodes to text).
func (a args) str(i int) (string, error) {
	switch v := a[i].(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", incorrectParameters()
}

// integer returns parameter i as Python's int() would: integers, booleans,
// floats truncated toward zero and decimal text.
func (a args) integer(i int) (int64, error) {
	switch v := a[i].(type) {
	case int64:
		return v, nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) || v >= math.MaxInt64 || v <= math.MinInt64 {
			return 0, incorrectParameters()
		}
		return int64(v), nil
	case string:
		return parseInt(v)
	case []byte:
		return parseInt(string(v))
	}
	return 0, incorrectParameters()
}

// parseInt parses decimal text as Python's int(str) does.
func parseInt(s string) (int64, error) {
	n, err := pytext.ParseInt(s, 10)
	if err != nil {
		return 0, incorrectParameters()
	}
	return n, nil
}

// flag returns the truth of parameter i as Python's bool() would, or def if
// the call has no parameter i.
func (a args) flag(i int, def bool) bool {
	if i >= len(a) {
		return def
	}
	switch v := a[i].(type) {
	case bool:
		return v
	case int64:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	case []byte:
		return len(v) != 0
	case []any:
		return len(v) != 0
	case xmlrpc.Struct:
		return len(v) != 0
	case nil:
		return false
	}
	return true
}

// signal returns parameter i as a signal for the API: a name as given, or a
// number as decimal text (4.2.5 accepts both).
func (a args) signal(i int) (string, error) {
	switch a[i].(type) {
	case string, []byte:
		return a.str(i)
	}
	n, err := a.integer(i)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(n, 10), nil
}

// pyStr returns the text Python's str() gives for a decoded XML-RPC value,
// as 4.2.5 writes into some fault strings ("INCORRECT_PARAMETERS: 5").
func pyStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case time.Time:
		return v.Format(time.DateTime)
	}
	return pyRepr(v)
}

// pyRepr returns the text Python's repr() gives for a decoded XML-RPC
// value.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return pytext.FloatRepr(v)
	case string:
		return pytext.Repr(v)
	case []byte:
		return pytext.Repr(string(v))
	case time.Time:
		s := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute())
		if v.Second() != 0 {
			s += fmt.Sprintf(", %d", v.Second())
		}
		return s + ")"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case xmlrpc.Struct:
		parts := make([]string, len(v))
		for i, m := range v {
			parts[i] = pytext.Repr(m.Name) + ": " + pyRepr(m.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "?"
}
