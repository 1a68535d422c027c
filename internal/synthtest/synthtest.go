// Package synthtest synthesizes constructs in a test stack and looks up what
// they produced by resource type and readable address.
package synthtest

import (
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/internal/tfstack"
)

// Stack returns an empty stack with readable addresses and an AWS provider
// for us-west-2, in an app of its own. The app's output folder is inside the
// process's scratch directory, which Main removes at the end.
func Stack(t testing.TB) cdktf.TerraformStack {
	t.Helper()
	scratch, err := jsiiruntime.ScratchDir()
	require.NoError(t, err)
	outdir, err := os.MkdirTemp(scratch, "app-")
	require.NoError(t, err)
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(outdir)})
	stack := tfstack.New(app, "test")
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String("us-west-2"),
	})
	return stack
}

// Document is a synthesized stack: the Terraform JSON as nested maps.
type Document map[string]any

// Synth synthesizes stack and parses the result.
func Synth(t testing.TB, stack cdktf.TerraformStack) Document {
	t.Helper()
	out := cdktf.Testing_Synth(stack, jsii.Bool(false))
	require.NotNil(t, out, "synth returned nothing")

	var doc Document
	require.NoError(t, json.Unmarshal([]byte(*out), &doc), "synth output is not JSON")
	return doc
}

// Resources returns every resource of type typ, by address name.
func (d Document) Resources(typ string) map[string]map[string]any {
	return d.block("resource", typ)
}

// DataSources returns every data source of type typ, by address name.
func (d Document) DataSources(typ string) map[string]map[string]any {
	return d.block("data", typ)
}

// Resource returns the resource typ.name and fails the test when it is
// missing, listing the names that do exist.
func (d Document) Resource(t testing.TB, typ, name string) map[string]any {
	t.Helper()
	all := d.Resources(typ)
	r, ok := all[name]
	require.Truef(t, ok, "resource %s.%s not found; %s resources: %v", typ, name, typ, sortedKeys(all))
	return r
}

// Outputs returns the stack's outputs, by name.
func (d Document) Outputs() map[string]map[string]any {
	outputs := map[string]map[string]any{}
	raw, _ := d["output"].(map[string]any)
	for name, o := range raw {
		outputs[name], _ = o.(map[string]any)
	}
	return outputs
}

func (d Document) block(kind, typ string) map[string]map[string]any {
	result := map[string]map[string]any{}
	kinds, _ := d[kind].(map[string]any)
	byName, _ := kinds[typ].(map[string]any)
	for name, r := range byName {
		result[name], _ = r.(map[string]any)
	}
	return result
}

// JSON decodes a string attribute that holds a JSON document, such as an IAM
// or key policy.
func JSON(t testing.TB, value any) map[string]any {
	t.Helper()
	s, ok := value.(string)
	require.Truef(t, ok, "expected a JSON string, got %T", value)

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &doc))
	return doc
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Main runs a package's tests and then stops the jsii runtime, which would
// otherwise leave its unpacked copy in the temporary directory. Call it from
// the package's TestMain.
func Main(m *testing.M) {
	code := m.Run()
	jsiiruntime.Close()
	os.Exit(code)
}
