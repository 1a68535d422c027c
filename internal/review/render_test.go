package review

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderOrdersReviewSectionsFirst(t *testing.T) {
	before := Fleet{"app": {"resource": map[string]any{
		"aws_vpc":     map[string]any{"network_vpc": map[string]any{"cidr_block": "10.0.0.0/16"}},
		"aws_eip":     map[string]any{"nat": map[string]any{"domain": "vpc", "tags": map[string]any{"Name": "a"}}},
		"aws_kms_key": map[string]any{"logs": map[string]any{"policy": `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`}},
	}}}
	after := Fleet{"app": {"resource": map[string]any{
		"aws_vpc":     map[string]any{"network_vpc": map[string]any{"cidr_block": "10.1.0.0/16"}},
		"aws_eip":     map[string]any{"nat": map[string]any{"domain": "vpc", "tags": map[string]any{"Name": "b"}}},
		"aws_kms_key": map[string]any{"logs": map[string]any{"policy": `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"kms:*","Resource":"*"}]}`}},
	}}}

	var out strings.Builder
	require.NoError(t, Render(&out, Compare(before, after), RenderOptions{Format: FormatMarkdown}))
	text := out.String()

	replace := strings.Index(text, "#### Replacements")
	iam := strings.Index(text, "#### IAM, trust and security-group changes")
	changed := strings.Index(text, "#### Changed in place")
	require.True(t, replace >= 0 && iam >= 0 && changed >= 0, text)
	assert.Less(t, replace, iam)
	assert.Less(t, iam, changed)
	assert.Contains(t, text, "- **IAM** `aws_kms_key.logs` changed")
}

func TestRenderText(t *testing.T) {
	baseline, err := ReadSnapshotsDir(filepath.Join("testdata", "force_new", "baseline"))
	require.NoError(t, err)
	current, err := ReadStacksDir(filepath.Join("testdata", "force_new", "stacks"))
	require.NoError(t, err)

	var out strings.Builder
	require.NoError(t, Render(&out, Compare(baseline, current), RenderOptions{Format: FormatText, Baseline: "the snapshots", Current: "stacks"}))
	text := out.String()

	assert.Contains(t, text, "Compared stacks with the snapshots.")
	assert.Contains(t, text, "app    changed  0      0        2        1")
	assert.Contains(t, text, "- REPLACE aws_subnet.network_private_subnet_0 changed: replaced, because cidr_block forces replacement")
	assert.NotContains(t, text, "`")
	assert.NotContains(t, text, "|")
}

func TestRenderCapsAttributeLines(t *testing.T) {
	before, after := map[string]any{}, map[string]any{}
	for i := range maxAttributeLines + 5 {
		key := "k" + strings.Repeat("x", i)
		before[key], after[key] = "a", "b"
	}
	report := Compare(
		Fleet{"app": {"resource": map[string]any{"aws_ssm_parameter": map[string]any{"p": before}}}},
		Fleet{"app": {"resource": map[string]any{"aws_ssm_parameter": map[string]any{"p": after}}}})

	var out strings.Builder
	require.NoError(t, Render(&out, report, RenderOptions{Format: FormatMarkdown}))

	assert.Contains(t, out.String(), "  - and 5 more changed attributes")
}
