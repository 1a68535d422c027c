package review

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// compareFixture compares testdata/<name>/baseline (snapshot layout) with
// testdata/<name>/stacks (synth layout) and renders the report as Markdown.
func compareFixture(t *testing.T, name string) (Report, string) {
	t.Helper()
	baseline, err := ReadSnapshotsDir(filepath.Join("testdata", name, "baseline"))
	require.NoError(t, err)
	current, err := ReadStacksDir(filepath.Join("testdata", name, "stacks"))
	require.NoError(t, err)

	report := Compare(baseline, current)
	var out strings.Builder
	require.NoError(t, Render(&out, report, RenderOptions{Format: FormatMarkdown, Baseline: "the baseline", Current: "stacks"}))
	return report, out.String()
}

func onlyStack(t *testing.T, r Report) StackDiff {
	t.Helper()
	require.Len(t, r.Stacks, 1)
	return r.Stacks[0]
}

func resourceAt(t *testing.T, s StackDiff, address string) ResourceChange {
	t.Helper()
	for _, c := range s.Resources {
		if c.Address == address {
			return c
		}
	}
	require.FailNowf(t, "resource change not found", "%s is not among the changes of %s", address, s.Name)
	return ResourceChange{}
}

func attributeAt(t *testing.T, c ResourceChange, path string) AttributeChange {
	t.Helper()
	for _, a := range c.Attributes {
		if a.Path == path {
			return a
		}
	}
	require.FailNowf(t, "attribute change not found", "%s is not among the changed attributes of %s", path, c.Address)
	return AttributeChange{}
}

func statementAt(t *testing.T, p *PolicyDiff, key string) StatementChange {
	t.Helper()
	require.NotNil(t, p)
	for _, s := range p.Statements {
		if s.Key == key {
			return s
		}
	}
	require.FailNowf(t, "statement not found", "statement %q did not change", key)
	return StatementChange{}
}

func fieldAt(t *testing.T, s StatementChange, field string) FieldChange {
	t.Helper()
	for _, f := range s.Fields {
		if f.Field == field {
			return f
		}
	}
	require.FailNowf(t, "field not found", "%s of statement %q did not change", field, s.Key)
	return FieldChange{}
}
