package githuboidc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/internal/synthtest"
)

const testProviderARN = "arn:aws:iam::100000000004:oidc-provider/token.actions.githubusercontent.com"

func validRoleConfig() RoleConfig {
	return RoleConfig{
		Name:        "platform-deploy",
		ProviderARN: jsii.String(testProviderARN),
		Owner:       "honeyhive",
		Repository:  "platform",
		Subjects: []Subject{
			{Kind: SubjectPullRequest},
			{Kind: SubjectEnvironment, Value: "prod-usw2"},
			{Kind: SubjectBranch, Value: "main"},
		},
		Policy: &iampolicy.Document{Statements: []iampolicy.Statement{{
			Actions:   []string{"s3:GetObject"},
			Resources: []string{"arn:aws:s3:::honeyhive-artifacts/*"},
		}}},
	}
}

func TestNewRole(t *testing.T) {
	stack := synthtest.Stack(t)
	provider := NewProvider(stack, "github_oidc", ProviderConfig{})
	cfg := validRoleConfig()
	cfg.ProviderARN = provider.ARN
	role := NewRole(stack, "platform_deploy", cfg)
	require.NotNil(t, role.ARN)
	require.NotNil(t, role.Name)
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_iam_role", "platform_deploy_role")
	assert.Equal(t, "platform-deploy", resource["name"])
	assert.EqualValues(t, 3600, resource["max_session_duration"])

	trust := synthtest.JSON(t, resource["assume_role_policy"])
	statements := trust["Statement"].([]any)
	require.Len(t, statements, 1)
	statement := statements[0].(map[string]any)
	assert.Equal(t, "Allow", statement["Effect"])
	assert.Equal(t, map[string]any{"Federated": []any{"${aws_iam_openid_connect_provider.github_oidc_provider.arn}"}}, statement["Principal"])
	assert.Equal(t, []any{"sts:AssumeRoleWithWebIdentity"}, statement["Action"])

	conditions := statement["Condition"].(map[string]any)
	assert.Len(t, conditions, 1, "StringEquals must be the only operator: %v", conditions)
	assert.NotContains(t, conditions, "StringLike")
	equals := conditions["StringEquals"].(map[string]any)
	assert.Len(t, equals, 2, "only aud and sub are conditioned: %v", equals)
	assert.Equal(t, []any{"sts.amazonaws.com"}, equals["token.actions.githubusercontent.com:aud"])
	assert.Equal(t, []any{
		"repo:honeyhive/platform:pull_request",
		"repo:honeyhive/platform:environment:prod-usw2",
		"repo:honeyhive/platform:ref:refs/heads/main",
	}, equals["token.actions.githubusercontent.com:sub"])

	policy := doc.Resource(t, "aws_iam_role_policy", "platform_deploy_policy")
	assert.Equal(t, "${aws_iam_role.platform_deploy_role.name}", policy["role"])
	inline := synthtest.JSON(t, policy["policy"])
	inlineStatement := inline["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{"s3:GetObject"}, inlineStatement["Action"])
	assert.Equal(t, []any{"arn:aws:s3:::honeyhive-artifacts/*"}, inlineStatement["Resource"])
}

func TestNewRoleTrustHasNoWildcard(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validRoleConfig()
	cfg.MaxSessionSeconds = 7200
	NewRole(stack, "platform_deploy", cfg)
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_iam_role", "platform_deploy_role")
	assert.EqualValues(t, 7200, resource["max_session_duration"])

	trust := resource["assume_role_policy"].(string)
	assert.NotContains(t, trust, "*")
	assert.NotContains(t, trust, "?")
	statement := synthtest.JSON(t, trust)["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"Federated": []any{testProviderARN}}, statement["Principal"])
}

func TestRoleConfigValidateAcceptsValid(t *testing.T) {
	assert.NoError(t, validRoleConfig().withDefaults().Validate())
}

func TestRoleConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*RoleConfig)
		field  string
		want   string
	}{
		{"missing name", func(c *RoleConfig) { c.Name = "" }, "RoleConfig.Name", "not a valid IAM role name"},
		{"long name", func(c *RoleConfig) { c.Name = strings.Repeat("a", 65) }, "RoleConfig.Name", "not a valid IAM role name"},
		{"missing provider", func(c *RoleConfig) { c.ProviderARN = nil }, "RoleConfig.ProviderARN", "is missing"},
		{"other provider", func(c *RoleConfig) {
			c.ProviderARN = jsii.String("arn:aws:iam::100000000004:oidc-provider/gitlab.com")
		}, "RoleConfig.ProviderARN", "not the ARN of a GitHub Actions OIDC provider"},
		{"missing owner", func(c *RoleConfig) { c.Owner = "" }, "RoleConfig.Owner", "is missing"},
		{"wildcard owner", func(c *RoleConfig) { c.Owner = "*" }, "RoleConfig.Owner", "lets other repositories assume the role"},
		{"partial wildcard owner", func(c *RoleConfig) { c.Owner = "honey?ive" }, "RoleConfig.Owner", "contains a wildcard"},
		{"invalid owner", func(c *RoleConfig) { c.Owner = "honey_hive" }, "RoleConfig.Owner", "not a valid GitHub owner name"},
		{"owner with hyphen first", func(c *RoleConfig) { c.Owner = "-honeyhive" }, "RoleConfig.Owner", "not a valid GitHub owner name"},
		{"missing repository", func(c *RoleConfig) { c.Repository = "" }, "RoleConfig.Repository", "is missing"},
		{"wildcard repository", func(c *RoleConfig) { c.Repository = "*" }, "RoleConfig.Repository", "lets other repositories assume the role"},
		{"prefix wildcard repository", func(c *RoleConfig) { c.Repository = "platform-*" }, "RoleConfig.Repository", "contains a wildcard"},
		{"repository with owner", func(c *RoleConfig) { c.Repository = "honeyhive/platform" }, "RoleConfig.Repository", "set the owner in Owner"},
		{"dot repository", func(c *RoleConfig) { c.Repository = ".." }, "RoleConfig.Repository", "not a valid GitHub repository name"},
		{"no subjects", func(c *RoleConfig) { c.Subjects = nil }, "RoleConfig.Subjects", "is empty"},
		{"zero kind", func(c *RoleConfig) { c.Subjects = []Subject{{Value: "main"}} }, "RoleConfig.Subjects[0].Kind", "not a subject kind"},
		{"wildcard environment", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectEnvironment, Value: "prod-*"}}
		}, "RoleConfig.Subjects[0].Value", "lets other repositories assume the role"},
		{"wildcard branch", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectPullRequest}, {Kind: SubjectBranch, Value: "*"}}
		}, "RoleConfig.Subjects[1].Value", "contains a wildcard"},
		{"single character wildcard branch", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "release-?"}}
		}, "RoleConfig.Subjects[0].Value", "contains a wildcard"},
		{"wildcard pull request value", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectPullRequest, Value: "*"}}
		}, "RoleConfig.Subjects[0].Value", "contains a wildcard"},
		{"pull request with value", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectPullRequest, Value: "42"}}
		}, "RoleConfig.Subjects[0].Value", "leave Value empty"},
		{"missing environment", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectEnvironment}}
		}, "RoleConfig.Subjects[0].Value", "is missing"},
		{"long environment", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectEnvironment, Value: strings.Repeat("e", 256)}}
		}, "RoleConfig.Subjects[0].Value", "longer than 255 characters"},
		{"environment with spaces", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectEnvironment, Value: " prod"}}
		}, "RoleConfig.Subjects[0].Value", "surrounding spaces"},
		{"missing branch", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch}}
		}, "RoleConfig.Subjects[0].Value", "is missing"},
		{"full ref branch", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "refs/heads/main"}}
		}, "RoleConfig.Subjects[0].Value", "without \"refs/heads/\""},
		{"branch with range", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "main..dev"}}
		}, "RoleConfig.Subjects[0].Value", "Git does not allow"},
		{"branch with bracket", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "release-[12]"}}
		}, "RoleConfig.Subjects[0].Value", "Git does not allow"},
		{"branch ending in lock", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "main.lock"}}
		}, "RoleConfig.Subjects[0].Value", "Git does not allow"},
		{"duplicate subject", func(c *RoleConfig) {
			c.Subjects = []Subject{{Kind: SubjectBranch, Value: "main"}, {Kind: SubjectBranch, Value: "main"}}
		}, "RoleConfig.Subjects[1]", "repeats Subjects[0]"},
		{"missing policy", func(c *RoleConfig) { c.Policy = nil }, "RoleConfig.Policy", "is missing"},
		{"empty policy", func(c *RoleConfig) { c.Policy = &iampolicy.Document{} }, "RoleConfig.Policy", "is missing"},
		{"all actions", func(c *RoleConfig) {
			c.Policy = &iampolicy.Document{Statements: []iampolicy.Statement{{Actions: []string{"*"}, Resources: []string{"*"}}}}
		}, "RoleConfig.Policy.Statements[0]", "list the actions"},
		{"short session", func(c *RoleConfig) { c.MaxSessionSeconds = 900 }, "RoleConfig.MaxSessionSeconds", "out of range"},
		{"long session", func(c *RoleConfig) { c.MaxSessionSeconds = 43201 }, "RoleConfig.MaxSessionSeconds", "out of range"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validRoleConfig()
			tc.modify(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, "githuboidc: "+tc.field)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestRoleConfigValidateReportsEveryProblem(t *testing.T) {
	cfg := validRoleConfig()
	cfg.Owner = "*"
	cfg.Repository = "*"
	err := cfg.withDefaults().Validate()
	assert.ErrorContains(t, err, "RoleConfig.Owner")
	assert.ErrorContains(t, err, "RoleConfig.Repository")
}

func TestRoleConfigValidateTrustPolicyLength(t *testing.T) {
	cfg := validRoleConfig()
	cfg.Subjects = nil
	for i := range 40 {
		cfg.Subjects = append(cfg.Subjects, Subject{Kind: SubjectEnvironment, Value: fmt.Sprintf("environment-%02d", i)})
	}
	assert.ErrorContains(t, cfg.withDefaults().Validate(), "over IAM's limit of 2048")

	cfg.Subjects = cfg.Subjects[:20]
	assert.NoError(t, cfg.withDefaults().Validate())
}

func TestNewRolePanics(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validRoleConfig()
	cfg.Repository = "*"
	assert.PanicsWithError(t, `githuboidc: RoleConfig.Repository: "*" contains a wildcard; list exact values, because a trust without an exact sub lets other repositories assume the role`, func() {
		NewRole(stack, "platform_deploy", cfg)
	})
}
