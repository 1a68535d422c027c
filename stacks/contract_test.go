package stacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/tfstack"
)

// TestSubstrateOutputsReachAnotherStack uses the typed outputs from a
// consumer stack, as the hosting layer will, and checks that CDKTF wires
// them through the substrate's S3 state.
func TestSubstrateOutputsReachAnotherStack(t *testing.T) {
	dir := t.TempDir()
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(dir), StubVersion: jsii.Bool(true)})

	env := environments.Test().WithDefaults()
	substrate := NewSubstrate(app, env, env.Regions[0])

	consumer := tfstack.New(app, "consumer")
	cdktf.NewTerraformOutput(consumer, jsii.String("vpc"), &cdktf.TerraformOutputConfig{Value: substrate.Outputs.VPCID})
	cdktf.NewTerraformOutput(consumer, jsii.String("subnets"), &cdktf.TerraformOutputConfig{Value: substrate.Outputs.PrivateSubnetIDs})
	app.Synth()

	read := func(stack string) map[string]any {
		data, err := os.ReadFile(filepath.Join(dir, "stacks", stack, "cdk.tf.json"))
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(data, &doc))
		return doc
	}
	consumerDoc := read("consumer")
	producerDoc := read("test-usw2-substrate")

	remote := dig(t, consumerDoc, "data", "terraform_remote_state")
	require.Len(t, remote, 1, "one remote-state reader for the substrate")
	for _, v := range remote {
		r, _ := v.(map[string]any)
		assert.Equal(t, "s3", r["backend"])
		config, _ := r["config"].(map[string]any)
		assert.Equal(t, "honeyhive-tfstate-100000000001-us-west-2", config["bucket"])
		assert.Equal(t, "test/us-west-2/substrate/terraform.tfstate", config["key"])
	}

	outputs, _ := producerDoc["output"].(map[string]any)
	crossStack := 0
	for name := range outputs {
		if len(name) > len("cross-stack-output-") && name[:len("cross-stack-output-")] == "cross-stack-output-" {
			crossStack++
		}
	}
	assert.GreaterOrEqual(t, crossStack, 2, "the substrate exports what the consumer reads")
}
