package importer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitScript(t *testing.T) {
	cmds, exp, err := splitScript("uv pip install --system 'qwen-vl-utils>=0.0.14' && python3 -m vllm.entrypoints.openai.api_server \\\n  --hf-overrides '{\"a\": 1}' --x \"a b\" --y a\\ b; echo done # comment\n")
	require.NoError(t, err)
	assert.Empty(t, exp)
	require.Len(t, cmds, 3)
	assert.Equal(t, []string{"uv", "pip", "install", "--system", "qwen-vl-utils>=0.0.14"}, cmds[0].Words)
	assert.Equal(t, "uv pip install --system 'qwen-vl-utils>=0.0.14'", cmds[0].Text)
	assert.Equal(t, []string{"python3", "-m", "vllm.entrypoints.openai.api_server", "--hf-overrides", `{"a": 1}`, "--x", "a b", "--y", "a b"}, cmds[1].Words)
	assert.Equal(t, []string{"echo", "done"}, cmds[2].Words)

	_, exp, err = splitScript(`vllm serve "$MODEL" --port ${PORT}`)
	require.NoError(t, err)
	assert.Len(t, exp, 2)

	cmds, exp, err = splitScript(`a "x \"y\" \$z \\ $HOME" 'it''s'`)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", `x "y" $z \ $HOME`, "its"}, cmds[0].Words)
	assert.Len(t, exp, 1, "the unescaped $HOME")
	_, _, err = splitScript("'open")
	assert.EqualError(t, err, "unbalanced single quote")
	_, _, err = splitScript(`"open`)
	assert.EqualError(t, err, "unbalanced double quote")

	for _, bad := range []string{"a || b", "a | b", "a > f", "a &", "(a)", "'open", `"open`} {
		_, _, err := splitScript(bad)
		assert.Error(t, err, bad)
	}
}
