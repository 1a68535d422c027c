package githuboidc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestNewProvider(t *testing.T) {
	stack := synthtest.Stack(t)
	provider := NewProvider(stack, "github_oidc", ProviderConfig{})
	require.NotNil(t, provider.ARN)
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_iam_openid_connect_provider", "github_oidc_provider")
	assert.Equal(t, "https://token.actions.githubusercontent.com", resource["url"])
	assert.Equal(t, []any{"sts.amazonaws.com"}, resource["client_id_list"])
	assert.NotContains(t, resource, "thumbprint_list", "IAM verifies GitHub's certificate itself")
	assert.Equal(t, map[string]any{"prevent_destroy": true}, resource["lifecycle"])
	assert.Equal(t, map[string]any{"Name": "github-actions"}, resource["tags"])
}

func TestNewProviderClientIDs(t *testing.T) {
	stack := synthtest.Stack(t)
	NewProvider(stack, "github_oidc", ProviderConfig{ClientIDs: []string{"sts.amazonaws.com", "https://github.com/honeyhive"}})
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_iam_openid_connect_provider", "github_oidc_provider")
	assert.Equal(t, []any{"sts.amazonaws.com", "https://github.com/honeyhive"}, resource["client_id_list"])
}

func TestProviderConfigDefaults(t *testing.T) {
	cfg := ProviderConfig{}.withDefaults()
	assert.Equal(t, []string{"sts.amazonaws.com"}, cfg.ClientIDs)
	assert.NoError(t, cfg.Validate())

	cfg.ClientIDs[0] = "changed"
	assert.Equal(t, []string{"sts.amazonaws.com"}, DefaultClientIDs, "defaults must not share the package slice")
}

func TestProviderConfigValidate(t *testing.T) {
	many := make([]string, 101)
	for i := range many {
		many[i] = string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	cases := []struct {
		name  string
		ids   []string
		field string
		want  string
	}{
		{"empty entry", []string{"sts.amazonaws.com", " "}, "ProviderConfig.ClientIDs[1]", "is empty"},
		{"wildcard", []string{"sts.*"}, "ProviderConfig.ClientIDs[0]", "contains a wildcard"},
		{"duplicate", []string{"sts.amazonaws.com", "sts.amazonaws.com"}, "ProviderConfig.ClientIDs[1]", "listed twice"},
		{"too many", many, "ProviderConfig.ClientIDs", "at most 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ProviderConfig{ClientIDs: tc.ids}.withDefaults().Validate()
			assert.ErrorContains(t, err, "githuboidc: "+tc.field)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestNewProviderPanics(t *testing.T) {
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t, `githuboidc: ProviderConfig.ClientIDs[0]: "*" contains a wildcard, which IAM matches literally; list each audience exactly`, func() {
		NewProvider(stack, "github_oidc", ProviderConfig{ClientIDs: []string{"*"}})
	})
}
