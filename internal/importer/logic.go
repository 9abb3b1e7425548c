package importer

import (
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
)

// logicReaders read back the rows whose rendering is hand-written (engine.KeyRow.Logic), by the logic's name, where
// the engine itself does not (engine.Recognizer ReadLogic). A logic without a reader here is read as a plain row.
var logicReaders = map[string]func(s *state, row engine.KeyRow, f arg, c *cmdline){
	"positional":     (*state).readModel,
	"modelPath":      (*state).readModel,
	"enginePort":     (*state).readEnginePort,
	"source":         (*state).readSource,
	"servedNames":    (*state).readServedNames,
	"toolChoice":     (*state).readToolChoice,
	"multimodal":     (*state).readMultimodal,
	"cpuOffload":     (*state).readCPUOffload,
	"kvOffload":      (*state).readKVOffload,
	"lora":           (*state).readLoRA,
	"metrics":        (*state).readMetrics,
	"expertParallel": func(s *state, _ engine.KeyRow, f arg, _ *cmdline) { s.epSize = strings.Join(f.vals, " ") },
}

// logic reads a row with logic back.
func (s *state) logic(row engine.KeyRow, f arg, negated bool, c *cmdline) {
	if read, ok := logicReaders[row.Logic]; ok && !negated {
		read(s, row, f, c)
		return
	}
	s.plain(row, f, negated, c)
}

// readModel: the model the engine serves; vLLM moves --model in front of the positional model.
func (s *state) readModel(row engine.KeyRow, f arg, _ *cmdline) {
	v := strings.Join(f.vals, " ")
	if row.Logic == "positional" && s.v.Model.Name != "" && s.v.Model.Name != v {
		s.note("vllm serve has both the positional model %s and --model %s: vLLM moves --model to the front, so %s is served", s.v.Model.Name, v, v)
	}
	s.v.Model.Name = v
}

func (s *state) readEnginePort(_ engine.KeyRow, f arg, _ *cmdline) {
	s.enginePort, _ = strconv.Atoi(strings.Join(f.vals, " "))
}

// readSource: --download-dir becomes storage.hubCacheDir relative to the cache volume once the volume is known
// (cache.go); the revision and load format are plain.
func (s *state) readSource(row engine.KeyRow, f arg, c *cmdline) {
	if row.Key == "storage.hubCacheDir" {
		s.downloadDir = strings.Join(f.vals, " ")
		return
	}
	s.plain(row, f, false, c)
}

func (s *state) readServedNames(_ engine.KeyRow, f arg, _ *cmdline) {
	s.v.Model.ServedModelNames = append(s.v.Model.ServedModelNames, f.vals...)
}

// readToolChoice: the switch the chart renders with the parser of the same values key, and only with it.
func (s *state) readToolChoice(row engine.KeyRow, f arg, c *cmdline) {
	for _, r := range s.engine.Spec().Keys {
		if r.Key == row.Key && r.Flag != row.Flag && c.value(r.Flag) != "" {
			return
		}
	}
	s.extra(f, "the chart adds it only with a tool-call parser")
}

// readMultimodal: a multimodal processor flag turns the block on (the chart renders them only when enabled).
func (s *state) readMultimodal(row engine.KeyRow, f arg, c *cmdline) {
	if !s.plain(row, f, false, c) {
		return
	}
	parent := row.Key[:strings.LastIndex(row.Key, ".")]
	_ = setPath(s.v, parent+".enabled", true)
}

// readCPUOffload: --cpu-offload-gb alone is the uva backend, which the chart renders with its variables.
func (s *state) readCPUOffload(row engine.KeyRow, f arg, c *cmdline) {
	if !s.plain(row, f, false, c) || row.Key != "vllm.cpuOffload.gb" {
		return
	}
	for _, r := range s.engine.Spec().Keys {
		if r.Key == "vllm.cpuOffload.backend" && !c.has(r.Flag) {
			_ = setPath(s.v, r.Key, "uva")
			s.note("%s alone becomes vllm.cpuOffload.backend uva (the chart adds %s uva and its mandatory variables)", f.name, r.Flag)
		}
	}
}

// readKVOffload: the chart renders the native backend and the size.
func (s *state) readKVOffload(row engine.KeyRow, f arg, c *cmdline) {
	if row.Fixed != "" {
		if strings.Join(f.vals, " ") != row.Fixed {
			s.extra(f, "the chart renders the "+row.Fixed+" backend")
		}
		return
	}
	s.plain(row, f, false, c)
}

func (s *state) readMetrics(_ engine.KeyRow, f arg, _ *cmdline) {
	s.note("%s: the chart adds it when a ServiceMonitor, PodMonitor or autoscaler reads the metrics (monitoring.*); turn one of them on to keep /metrics", f.name)
}

// readLoRA reads the LoRA flags: the switch that turns LoRA on (the chart renders it with lora.adapters or
// lora.runtimeUpdates), the adapters as name=path words, and the limits as plain rows. loraFlags decides, once
// every flag is read, whether the chart can render them.
func (s *state) readLoRA(row engine.KeyRow, f arg, c *cmdline) {
	switch {
	case row.Key == "lora":
		c.enableLoRA = f.name
	case row.Key == "lora.adapters":
		adapters := map[string]string{}
		if s.v.LoRA != nil && s.v.LoRA.Adapters != nil {
			adapters = s.v.LoRA.Adapters
		}
		for _, w := range f.vals {
			name, path, ok := strings.Cut(w, "=")
			if !ok || name == "" || path == "" {
				s.extra(f, "the chart renders adapters as name=path words (lora.adapters), and "+w+" is not one")
				return
			}
			adapters[name] = path
		}
		_ = setPath(s.v, row.Key, adapters)
	default:
		if !s.plain(row, f, false, c) {
			return
		}
	}
	c.lora = append(c.lora, f)
}

// loraFlags checks, after every flag is read, that the chart renders the LoRA flags read: with adapters, or with
// runtime updates when the engine loads adapters at run time (vLLM only with its variable). Otherwise they go back
// to serving.extraArgs, as written.
func (s *state) loraFlags(c *cmdline) {
	if len(c.lora) == 0 {
		return
	}
	l := orNew(s.v.LoRA)
	s.v.LoRA = l
	if len(l.Adapters) > 0 {
		if c.enableLoRA == "" {
			s.note("lora.adapters: the chart adds the engine's switch that enables LoRA with them")
		}
		return
	}
	env := map[string]string{}
	for k, v := range s.serving.Env {
		env[k] = v
	}
	ok, why := s.engine.RuntimeLoRA(env)
	if ok && c.enableLoRA != "" {
		l.RuntimeUpdates = true
		s.note("engine flag %s without adapters: lora.runtimeUpdates (adapters are loaded at run time)", c.enableLoRA)
		return
	}
	if why == "" {
		why = "no adapters and no switch that enables LoRA"
	}
	s.v.LoRA = nil
	for _, f := range c.lora {
		s.extra(f, why)
	}
}
