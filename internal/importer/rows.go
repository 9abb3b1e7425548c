package importer

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
)

// cmdline is what the reading of one flag may look at besides the flag: every flag of the engine command line with
// its values (the last occurrence of each), and the LoRA flags read so far.
type cmdline struct {
	all  map[string][]string
	lora []arg
	// enableLoRA is the flag that turned LoRA on, when one did.
	enableLoRA string
}

func (c *cmdline) has(flag string) bool { _, ok := c.all[flag]; return ok }

func (c *cmdline) value(flag string) string { return strings.Join(c.all[flag], " ") }

// readFlag maps one flag by its row in the engine's spec; false when the spec has none (no values key).
func (s *state) readFlag(f arg, c *cmdline) bool {
	spec := s.engine.Spec()
	row, ok := spec.Row(f.name)
	negated := false
	if rest, cut := strings.CutPrefix(f.name, "--no-"); !ok && cut {
		// --no-x of a switch the chart renders as --x (argparse BooleanOptionalAction): the key is false.
		row, ok = spec.Row("--" + rest)
		negated = ok && (row.Type == engine.TypeBool || row.Type == engine.TypeNegatable)
		ok = negated
	}
	switch {
	case !ok || negated && row.Logic != "":
		return false
	case row.Fixed != "":
		if v := strings.Join(f.vals, " "); v != row.Fixed {
			s.extra(f, "the chart always renders "+row.Flag+" "+row.Fixed)
		}
	case row.Logic != "":
		if r, done := s.engine.ReadLogic(row, f.vals, c.all); done {
			s.apply(f, r)
			return true
		}
		s.logic(row, f, negated, c)
	default:
		s.plain(row, f, negated, c)
	}
	return true
}

// plain reads a row back by its type and sets its values key; false when the value does not fit (the flag is then
// kept in serving.extraArgs).
func (s *state) plain(row engine.KeyRow, f arg, negated bool, c *cmdline) bool {
	val, why := s.rowValue(row, f, negated)
	if why != "" {
		s.extra(f, why)
		return false
	}
	if err := setPath(s.v, row.Key, val); err != nil {
		s.extra(f, "values key "+row.Key+": "+err.Error())
		return false
	}
	s.companions(row, f, c)
	return true
}

// rowValue is the value a row's flag gives its values key, or why the flag does not fit the row's type.
func (s *state) rowValue(row engine.KeyRow, f arg, negated bool) (any, string) {
	v, single := strings.Join(f.vals, " "), len(f.vals) == 1
	switch row.Type {
	case engine.TypeInt:
		// vLLM's human-readable integers (32k); SGLang's table takes only plain ones, which humanInt reads alike.
		n, ok := humanInt(v)
		switch {
		case row.From != "" && (!ok || !single || n < 1):
			return nil, "not a positive integer"
		case !ok || !single:
			return nil, "not an integer"
		}
		if _, err := strconv.Atoi(v); err != nil {
			s.note("engine flag %s %s: read as %d, as the engine reads it", f.name, v, n)
		}
		return n, ""
	case engine.TypeFloat:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !single {
			return nil, "not a number"
		}
		return x, ""
	case engine.TypeString:
		return row.Reverse(v), ""
	case engine.TypeBool, engine.TypeNegatable:
		return !negated, ""
	case engine.TypeWhen:
		return row.When, ""
	case engine.TypeWords:
		return append([]string(nil), f.vals...), ""
	case engine.TypeJSON:
		var o map[string]any
		if err := json.Unmarshal([]byte(v), &o); err != nil || !single {
			return nil, "not a JSON object"
		}
		return o, ""
	}
	return nil, "type " + string(row.Type) + " has no reader"
}

// companions notes the flags the chart adds with a row: a switch of the same values key the manifest lacks (vLLM's
// --enable-auto-tool-choice with --tool-call-parser).
func (s *state) companions(row engine.KeyRow, f arg, c *cmdline) {
	for _, r := range s.engine.Spec().Keys {
		if r.Key == row.Key && r.Flag != row.Flag && r.Logic != "" && r.Type == engine.TypeBool && !c.has(r.Flag) {
			s.note("the chart adds %s with %s", r.Flag, f.name)
		}
	}
}

// apply sets what an engine read back from a flag, or keeps the flag in serving.extraArgs.
func (s *state) apply(f arg, r engine.Reading) {
	if r.Refusal != "" {
		s.extra(f, r.Refusal)
		return
	}
	for _, st := range r.Settings {
		if err := setPath(s.v, st.Key, st.Value); err != nil {
			s.extra(f, "values key "+st.Key+": "+err.Error())
			return
		}
	}
	for _, n := range r.Notes {
		s.note("%s", n)
	}
}
