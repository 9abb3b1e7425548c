package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/enginelog"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
	"github.com/llm-charts/llm-charts/internal/plan"
)

// deploymentFlags describe a deployment to evaluate instead of one to choose (values, explain and check): its
// layout, batch limits and engine release.
type deploymentFlags struct {
	tp, pp, dcp         int
	maxNumSeqs          int
	maxNumBatchedTokens int
	engineVersion       string
}

// Flag help texts, shared by every command that takes them.
const (
	helpTP            = "evaluate tensor-parallel size `N` instead of choosing the layout (with --pp, --dcp)"
	helpPP            = "evaluate pipeline-parallel size `N` (default 1 when --tp is given)"
	helpDCP           = "evaluate decode-context-parallel size `N` (default 1 when --tp is given)"
	helpMaxNumSeqs    = "--max-num-seqs `N` the engine runs with (default: chartgen's 128)"
	helpBatchedTokens = "--max-num-batched-tokens `N` the engine runs with (default: chosen)"
)

// helpEngineVersion names the default engine's default release (its spec's).
var helpEngineVersion = "engine release `V` the memory terms follow and image.version, e.g. v0.18.0 (default: the chart's " + engine.Default().Spec().DefaultRelease + ")"

// flagAdder is what registering the deployment flags needs: both the standard library's and spf13/pflag's flag
// sets have these methods.
type flagAdder interface {
	IntVar(p *int, name string, value int, usage string)
	StringVar(p *string, name string, value string, usage string)
}

func (d *deploymentFlags) register(fs flagAdder) {
	fs.IntVar(&d.tp, "tp", 0, helpTP)
	fs.IntVar(&d.pp, "pp", 0, helpPP)
	fs.IntVar(&d.dcp, "dcp", 0, helpDCP)
	fs.IntVar(&d.maxNumSeqs, "max-num-seqs", 0, helpMaxNumSeqs)
	fs.IntVar(&d.maxNumBatchedTokens, "max-num-batched-tokens", 0, helpBatchedTokens)
	fs.StringVar(&d.engineVersion, "engine-version", "", helpEngineVersion)
}

func (d *deploymentFlags) validate() []string {
	var errs []string
	for _, f := range []struct {
		name string
		v    int
	}{{"--tp", d.tp}, {"--pp", d.pp}, {"--dcp", d.dcp}, {"--max-num-seqs", d.maxNumSeqs}, {"--max-num-batched-tokens", d.maxNumBatchedTokens}} {
		if f.v < 0 {
			errs = append(errs, fmt.Sprintf("%s %d must be positive", f.name, f.v))
		}
	}
	if d.tp == 0 && (d.pp > 0 || d.dcp > 0) {
		errs = append(errs, "--pp and --dcp describe a layout: give --tp with them (--tp 1 for pipeline parallelism alone)")
	}
	if d.engineVersion != "" {
		if _, err := engine.ParseRelease(d.engineVersion); err != nil {
			errs = append(errs, "--engine-version: "+err.Error())
		}
	}
	return errs
}

func (d *deploymentFlags) apply(o *plan.Options) {
	if d.tp > 0 {
		o.Layout = &model.Layout{TP: d.tp, PP: max(1, d.pp), DCP: max(1, d.dcp)}
	}
	o.MaxNumSeqs, o.MaxNumBatchedTokens, o.EngineVersion = d.maxNumSeqs, d.maxNumBatchedTokens, d.engineVersion
}

// given reports whether a layout was given (values then writes it or says why it does not hold).
func (d *deploymentFlags) given() bool { return d.tp > 0 }

// fromLog fills what the flags leave unset from the log, and the rest from the engine's defaults, saying which.
func (d *deploymentFlags) fromLog(lf *enginelog.Facts, g gpu.GPU, o *plan.Options) []string {
	var notes []string
	pick := func(flagV, logV, def int, name string) int {
		switch {
		case flagV > 0:
			return flagV
		case logV > 0:
			return logV
		}
		notes = append(notes, fmt.Sprintf("%s not in the log: the engine default %d", name, def))
		return def
	}
	// The engine's server defaults (engine.LogDefaults); chartgen's own max_num_seqs where the engine has none it
	// follows.
	e := engine.MustLookup(lf.Engine)
	release := d.engineVersion
	if release == "" {
		release = lf.Version
	}
	def := e.LogDefaults(g.MemoryMiB, release)
	seqs, mnbt := def.MaxNumSeqs, def.MaxNumBatchedTokens
	if seqs == 0 {
		seqs = plan.MaxNumSeqs
	}
	tp := pick(d.tp, lf.TP, 1, "tensor parallel size")
	pp := pick(d.pp, lf.PP, 1, "pipeline parallel size")
	dcp := max(1, max(d.dcp, lf.DCP))
	o.Layout = &model.Layout{TP: tp, PP: pp, DCP: dcp}
	o.MaxNumSeqs = pick(d.maxNumSeqs, lf.MaxNumSeqs, seqs, "max_num_seqs")
	if mnbt > 0 || d.maxNumBatchedTokens > 0 || lf.MaxNumBatchedTokens > 0 {
		o.MaxNumBatchedTokens = pick(d.maxNumBatchedTokens, lf.MaxNumBatchedTokens, mnbt, "max_num_batched_tokens")
	}
	o.EngineVersion = d.engineVersion
	if o.EngineVersion == "" && def.VersionFromLog {
		o.EngineVersion = lf.Version
		if o.EngineVersion == "" {
			notes = append(notes, "engine version not in the log: "+e.Spec().DefaultRelease+" (pass --engine-version)")
		}
	}
	if o.Engine == "" {
		o.Engine = lf.Engine
	}
	if o.GPUMemoryUtilization == 0 {
		o.GPUMemoryUtilization = lf.Utilization
		if u := engine.MustLookup(o.Engine).LogDefaults(g.MemoryMiB, o.EngineVersion).Utilization; o.GPUMemoryUtilization == 0 && u > 0 {
			o.GPUMemoryUtilization = u
			notes = append(notes, fmt.Sprintf("gpu_memory_utilization not in the log: the engine default %.2f", u))
		}
	}
	if o.Context == 0 {
		o.Context = lf.MaxModelLen
	}
	if o.KVCacheDType == "" {
		o.KVCacheDType = lf.KVCacheDType
	}
	return notes
}

// checkResult is chartgen check's output.
type checkResult struct {
	Model    string            `json:"model"`
	GPU      string            `json:"gpu"`
	Settings string            `json:"settings"`
	Notes    []string          `json:"notes,omitempty"`
	Log      *enginelog.Facts  `json:"log"`
	Report   *plan.CheckReport `json:"check"`
	Budget   *plan.Budget      `json:"budgetPerGPU,omitempty"`
	Plan     *plan.Plan        `json:"-"`
}

func (c *checkResult) data() any { return c }

func (c *checkResult) table(w io.Writer) error {
	fmt.Fprintf(w, "%s on %s, %s\n", c.Model, c.GPU, c.Settings)
	for _, n := range c.Notes {
		fmt.Fprintf(w, "  (%s)\n", n)
	}
	tw := newTab(w)
	fmt.Fprintln(tw, "TERM\tPREDICTED\tLOGGED\tDIFF")
	for _, r := range c.Report.Rows {
		pred, logged, diff := fmtAmount(r.Predicted, r.Unit), "-", "-"
		if r.Logged != 0 {
			logged = fmtAmount(r.Logged, r.Unit)
		}
		if r.Error != nil {
			diff = fmt.Sprintf("%+.1f%%", *r.Error*100)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Term, pred, logged, diff)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "fits"
	if !c.Report.Fits {
		verdict = "does not fit"
	}
	started := "started"
	if !c.Report.Started {
		started = "failed: " + c.Report.Failure
	}
	fmt.Fprintf(w, "chartgen: %s; the log: %s\n", verdict, started)
	for _, a := range c.Report.Advice {
		fmt.Fprintf(w, "- %s\n", a)
	}
	return nil
}

func fmtAmount(v float64, unit string) string {
	if unit == "tokens" {
		return plan.Commas(int64(v))
	}
	return fmt.Sprintf("%.2f %s", v, unit)
}

// checkDeployment plans the deployment a log describes and compares the two.
func checkDeployment(in plan.Input, g gpu.GPU, lf *enginelog.Facts, d deploymentFlags, o plan.Options) (*checkResult, error) {
	notes := d.fromLog(lf, g, &o)
	p, err := plan.New(in, g, o)
	if err != nil {
		return nil, err
	}
	var tuned *plan.Plan
	if engine.MustLookup(o.Engine).LogDefaults(g.MemoryMiB, o.EngineVersion).TunedUtilization {
		t := o
		t.GPUMemoryUtilization = 0
		if tuned, err = plan.New(in, g, t); err != nil {
			return nil, err
		}
	}
	settings := fmt.Sprintf("%s %s, TP %d × PP %d × DCP %d, utilization %.2f, max_model_len %s, max_num_seqs %d",
		p.Engine, p.EngineVersion, p.TP, p.PP, p.DCP, p.GPUMemoryUtilization, plan.Commas(int64(p.MaxModelLen)), o.MaxNumSeqs)
	if o.MaxNumBatchedTokens > 0 {
		settings += fmt.Sprintf(", max_num_batched_tokens %d", o.MaxNumBatchedTokens)
	}
	if o.KVCacheDType != "" {
		settings += ", kv-cache-dtype " + o.KVCacheDType
	}
	return &checkResult{Model: in.Name, GPU: g.ID, Settings: settings, Notes: notes, Log: lf, Report: plan.Check(p, tuned, lf), Budget: p.Budget, Plan: p}, nil
}

// layoutNotFit is values' error for a given layout that does not hold.
func layoutNotFit(in plan.Input, plans []*plan.Plan) error {
	var msgs []string
	for _, p := range plans {
		if !p.Fits && p.NotFit != "" {
			msgs = append(msgs, fmt.Sprintf("%s on %s with TP %d × PP %d × DCP %d: %s", in.Name, p.GPU, p.TP, p.PP, p.DCP, p.NotFit))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s\n(chartgen explain with the same flags shows the budget term by term; without --tp chartgen chooses a layout that holds)", strings.Join(msgs, "\n"))
}
