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
)

func TestPlanModeUsesReadOnlyRoles(t *testing.T) {
	dir := t.TempDir()
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(dir), StubVersion: jsii.Bool(true)})
	sel := Selection{Environments: []string{"prod", "acme"}, Regions: []string{"usw2"}, Layers: []string{LayerSubstrate}}
	built := Build(app, environments.All(), sel, Options{PlanMode: true})
	app.Synth()

	read := func(name string) map[string]any {
		data, err := os.ReadFile(filepath.Join(dir, "stacks", name, "cdk.tf.json"))
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(data, &doc))
		return doc
	}
	providerRole := func(doc map[string]any) map[string]any {
		return defaultProvider(t, doc, "aws")["assume_role"].([]any)[0].(map[string]any)
	}

	prod := read("prod-usw2-substrate")
	backend := dig(t, prod, "terraform", "backend", "s3")
	assert.NotContains(t, backend, "assume_role", "plans read state as the plan role itself")
	assert.Equal(t, "arn:aws:iam::100000000004:role/platform-plan", providerRole(prod)["role_arn"], "the provider assumes the read-only role")

	acme := read("acme-usw2-substrate")
	assert.Equal(t, "arn:aws:iam::200000000001:role/honeyhive-deploy", providerRole(acme)["role_arn"], "a customer's account has no plan role")

	plannable := map[string]bool{}
	for _, b := range built {
		plannable[b.Name] = b.Plannable()
	}
	assert.Equal(t, map[string]bool{
		"orchestration": false, "prod-global": true, "prod-usw2-substrate": true, "acme-global": false, "acme-usw2-substrate": false,
	}, plannable)
}

func TestTargetPlanRoleReadsConfigurationOnly(t *testing.T) {
	s := synthAll(t)
	doc := s.docs["prod-global"]

	role := resources(doc, "aws_iam_role")["plan_role_role"]
	require.NotNil(t, role)
	assert.Equal(t, "platform-plan", role["name"])
	var trust struct {
		Statement []struct {
			Principal map[string][]string
			Condition map[string]map[string][]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(role["assume_role_policy"].(string)), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, []string{"arn:aws:iam::100000000001:role/github-plan"}, trust.Statement[0].Condition["ArnEquals"]["aws:PrincipalArn"])

	assert.Equal(t, "arn:aws:iam::aws:policy/ReadOnlyAccess", resources(doc, "aws_iam_role_policy_attachment")["plan_role_read_only"]["policy_arn"])
	var deny struct {
		Statement []struct {
			Effect string
			Action []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(resources(doc, "aws_iam_role_policy")["plan_role_no_data_reads"]["policy"].(string)), &deny))
	require.Len(t, deny.Statement, 1)
	assert.Equal(t, "Deny", deny.Statement[0].Effect)
	for _, action := range []string{"s3:GetObject", "secretsmanager:GetSecretValue", "dynamodb:Scan"} {
		assert.Contains(t, deny.Statement[0].Action, action)
	}

	assert.Empty(t, resources(s.docs["acme-global"], "aws_iam_role")["plan_role_role"], "no plan role in a customer's account")
}
