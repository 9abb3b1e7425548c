package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/pflag"
)

// specFlags ask for speculative decoding (values and explain): --speculative picks the method the model supports,
// --speculative-method names one, --draft-model gives the draft.
type specFlags struct {
	speculative bool
	method      string
	tokens      int
	draftModel  string
	resolved    plan.Speculative
}

func (s *specFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&s.speculative, "speculative", false, "plan speculative decoding: the model's own MTP layers where the engine runs them, else the --draft-model, else n-gram lookup; its weights, KV and activations are counted")
	fs.StringVar(&s.method, "speculative-method", "", "speculative `METHOD` instead of the one --speculative picks: "+strings.Join(plan.SpecMethods, ", "))
	fs.IntVar(&s.tokens, "num-speculative-tokens", 0, "speculative tokens `N` per step (default: the MTP layer count, or 3 for a draft model or n-gram)")
	fs.StringVar(&s.draftModel, "draft-model", "", "draft model `ID` (Hugging Face id; the embedded catalog first, then the Hub) for methods eagle, eagle3 and draft")
}

func (s *specFlags) validate() []string {
	var errs []string
	if s.method != "" && !slices.Contains(plan.SpecMethods, s.method) {
		errs = append(errs, fmt.Sprintf("--speculative-method %q is not one of %s", s.method, strings.Join(plan.SpecMethods, ", ")))
	}
	if s.tokens < 0 {
		errs = append(errs, fmt.Sprintf("--num-speculative-tokens %d must be positive", s.tokens))
	}
	if !s.on() && (s.tokens > 0 || s.draftModel != "") {
		errs = append(errs, "--num-speculative-tokens and --draft-model need --speculative (or --speculative-method)")
	}
	return errs
}

func (s *specFlags) on() bool { return s.speculative || s.method != "" }

// resolve loads the draft model (from the same sources, Hub settings included, as the model) and picks the method.
func (s *specFlags) resolve(ctx context.Context, f *model.Facts, engine string, hub hubFlags, errOut io.Writer) error {
	s.resolved = plan.Speculative{}
	if !s.on() {
		return nil
	}
	if s.draftModel != "" {
		d, err := loadModel(ctx, modelFlags{model: s.draftModel, hubFlags: hub}, errOut)
		if err != nil {
			return fmt.Errorf("--draft-model: %w", err)
		}
		s.resolved.Draft = &d.input
	}
	m := s.method
	if m == "" {
		m, _ = plan.SpecMethod(f, engine, s.draftModel != "")
	}
	s.resolved.Method, s.resolved.Tokens = m, s.tokens
	return nil
}
