package cli

import (
	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/cobra"
)

// Shell completion: `chartgen completion bash|zsh|fish` (cobra's command) prints the script; the script asks
// `chartgen __complete ...` for candidates, which come from the functions registered here.

var yamlExts = []string{"yaml", "yml"}

// yamlFiles completes positional arguments with YAML files.
func yamlFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return yamlExts, cobra.ShellCompDirectiveFilterFileExt
}

// completeYAMLFiles completes the named flags with YAML files.
func completeYAMLFiles(cmd *cobra.Command, flags ...string) {
	for _, f := range flags {
		_ = cmd.MarkFlagFilename(f, yamlExts...)
	}
}

// complete registers the completions of the plan flags: catalog model ids, GPU types, engines, tasks, local files.
func (f *planFlags) complete(cmd *cobra.Command) {
	completeTargets(cmd, &f.gpuCatalog)
	_ = cmd.RegisterFlagCompletionFunc("task", cobra.FixedCompletions([]string{"generate", "embed"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("objective", cobra.FixedCompletions(plan.Objectives, cobra.ShellCompDirectiveNoFileComp))
}

// completeTargets registers the completions of what a plan is for (values, explain, check): catalog model ids, GPU
// types from the catalog *gpuCatalog names (typed before --gpu) or the embedded one, engines, local files.
func completeTargets(cmd *cobra.Command, gpuCatalog *string) {
	noFiles := cobra.ShellCompDirectiveNoFileComp
	_ = cmd.RegisterFlagCompletionFunc("model", cobra.FixedCompletions(catalog.IDs(), noFiles))
	_ = cmd.RegisterFlagCompletionFunc("gpu", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		c, err := gpu.Load(*gpuCatalog)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return c.IDs(), noFiles
	})
	_ = cmd.RegisterFlagCompletionFunc("engine", cobra.FixedCompletions(engine.NameStrings(), noFiles))
	_ = cmd.MarkFlagFilename("config", "json")
	_ = cmd.MarkFlagDirname("model-dir")
	completeYAMLFiles(cmd, "gpu-catalog")
}
