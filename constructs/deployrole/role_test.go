package deployrole

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestMain(m *testing.M) {
	synthtest.Main(m)
}

func validConfig() Config {
	return Config{
		Name:             "platform-deploy",
		AccountID:        "100000000004",
		TrustedAccountID: "100000000001",
		TrustedRoleARNs:  []string{"arn:aws:iam::100000000001:role/github-deploy-prod"},
		TrailARN:         "arn:aws:cloudtrail:us-west-2:100000000004:trail/prod",
	}
}

func TestDeployRole(t *testing.T) {
	stack := synthtest.Stack(t)
	New(stack, "deploy", validConfig())
	doc := synthtest.Synth(t, stack)

	role := doc.Resource(t, "aws_iam_role", "deploy_role")
	assert.Equal(t, "platform-deploy", role["name"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, role["lifecycle"])

	trust := synthtest.JSON(t, role["assume_role_policy"])
	statement := trust["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"AWS": []any{"arn:aws:iam::100000000001:root"}}, statement["Principal"])
	conditions := statement["Condition"].(map[string]any)
	assert.Equal(t, map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::100000000001:role/github-deploy-prod"}}, conditions["ArnEquals"],
		"only the environment's CI role may assume the deploy role")

	assert.Len(t, trust["Statement"], 1, "no break-glass role unless configured")

	guardrails := synthtest.JSON(t, doc.Resource(t, "aws_iam_role_policy", "deploy_guardrails")["policy"])
	deny := guardrails["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, "Deny", deny["Effect"])
	assert.Equal(t, []any{"cloudtrail:StopLogging", "cloudtrail:DeleteTrail"}, deny["Action"])
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no name", func(c *Config) { c.Name = "" }, "Config.Name is empty"},
		{"bad account", func(c *Config) { c.AccountID = "1" }, "is not a 12-digit AWS account ID"},
		{"no trusted roles", func(c *Config) { c.TrustedRoleARNs = nil }, "Config.TrustedRoleARNs is empty"},
		{"wildcard trusted role", func(c *Config) { c.TrustedRoleARNs = []string{"arn:aws:iam::100000000001:role/*"} }, "TrustedRoleARNs[0]"},
		{"no trail", func(c *Config) { c.TrailARN = "" }, "Config.TrailARN is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.Validate(), c.want)
		})
	}
	require.NoError(t, validConfig().Validate())
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.AccountID = ""
	assert.Panics(t, func() { New(stack, "bad", cfg) })
}

func TestDeployRoleBreakGlass(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.BreakGlassRoleARNs = []string{"arn:aws:iam::100000000004:role/platform-admin"}
	New(stack, "deploy", cfg)
	doc := synthtest.Synth(t, stack)

	trust := synthtest.JSON(t, doc.Resource(t, "aws_iam_role", "deploy_role")["assume_role_policy"])
	statements := trust["Statement"].([]any)
	require.Len(t, statements, 2)
	breakGlass := statements[1].(map[string]any)
	assert.Equal(t, map[string]any{"AWS": []any{"arn:aws:iam::100000000004:root"}}, breakGlass["Principal"])
	assert.Equal(t, map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::100000000004:role/platform-admin"}},
		breakGlass["Condition"].(map[string]any)["ArnEquals"])
}
