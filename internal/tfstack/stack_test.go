package tfstack

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newResource(scope constructs.Construct, id string) cdktf.TerraformResource {
	return cdktf.NewTerraformResource(scope, jsii.String(id), &cdktf.TerraformResourceConfig{
		TerraformResourceType: jsii.String("null_resource"),
	})
}

func TestAddressesAreTheConstructPath(t *testing.T) {
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir())})
	stack := New(app, "prod-usw2-substrate")
	network := constructs.NewConstruct(stack, jsii.String("network"))
	vpc := newResource(network, "vpc")
	newResource(network, "private-subnet.0")
	newResource(stack, "0_first")
	cdktf.NewTerraformOutput(stack, jsii.String("vpc_id"), &cdktf.TerraformOutputConfig{Value: vpc.GetStringAttribute(jsii.String("id"))})

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &doc))

	resources := doc["resource"].(map[string]any)["null_resource"].(map[string]any)
	assert.Contains(t, resources, "network_vpc")
	assert.Contains(t, resources, "network_private-subnet_0", "characters Terraform rejects become underscores")
	assert.Contains(t, resources, "_0_first", "a leading digit gets an underscore")
	assert.Len(t, resources, 3)

	output := doc["output"].(map[string]any)["vpc_id"].(map[string]any)
	assert.Equal(t, "${null_resource.network_vpc.id}", output["value"], "references use the readable address")
}

func TestAddressCollisionPanics(t *testing.T) {
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir())})
	stack := New(app, "s")
	newResource(constructs.NewConstruct(stack, jsii.String("a_b")), "c")
	newResource(constructs.NewConstruct(stack, jsii.String("a")), "b_c")

	// jsii turns the JavaScript error into a Go panic with an error value.
	assert.PanicsWithError(t,
		fmt.Sprintf("Error: %q and %q both map to the Terraform address %q; rename one of their construct IDs", "s/a_b/c", "s/a/b_c", "a_b_c"),
		func() { cdktf.Testing_Synth(stack, jsii.Bool(false)) })
}
