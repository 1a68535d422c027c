package twingate

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestProviderBlock(t *testing.T) {
	stack := synthtest.Stack(t)
	NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"})
	doc := synthtest.Synth(t, stack)

	terraform, _ := doc["terraform"].(map[string]any)
	requiredProviders, _ := terraform["required_providers"].(map[string]any)
	entry, ok := requiredProviders["twingate"].(map[string]any)
	require.True(t, ok, "required_providers has no twingate entry: %v", requiredProviders)
	assert.Equal(t, "Twingate/twingate", entry["source"])
	assert.Regexp(t, regexp.MustCompile(`^3\.[0-9]+\.[0-9]+$`), entry["version"], "version must be one exact 3.x release, not a range")

	providers, _ := doc["provider"].(map[string]any)
	blocks, _ := providers["twingate"].([]any)
	require.Len(t, blocks, 1)
	block, _ := blocks[0].(map[string]any)
	assert.Equal(t, "acme", block["network"])
	assert.NotContains(t, block, "api_token")
}

func TestProviderOmitsAPIToken(t *testing.T) {
	const apiToken = "tg-api-token-that-must-not-be-synthesized"
	t.Setenv("TWINGATE_API_TOKEN", apiToken)

	stack := synthtest.Stack(t)
	provider := NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"})
	NewConnectors(stack, "twingate", testConnectorsConfig(provider))
	doc := synthtest.Synth(t, stack)

	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), apiToken)
	assert.NotContains(t, string(raw), "api_token")
}

func TestProviderConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		network string
		want    string
	}{
		{"empty", "", "ProviderConfig.Network is empty"},
		{"host name", "acme.twingate.com", `ProviderConfig.Network: "acme.twingate.com" is not a Twingate tenant name`},
		{"URL", "https://acme.twingate.com", "is not a Twingate tenant name"},
		{"uppercase", "Acme", "is not a Twingate tenant name"},
		{"trailing hyphen", "acme-", "is not a Twingate tenant name"},
		{"too long", strings.Repeat("a", 64), "is not a Twingate tenant name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, ProviderConfig{Network: tt.network}.Validate(), tt.want)
		})
	}

	assert.NoError(t, ProviderConfig{Network: "acme-corp"}.Validate())
}

func TestNewProviderPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t, "twingate: ProviderConfig.Network is empty; set it to the Twingate tenant name, the \"acme\" of acme.twingate.com", func() {
		NewProvider(stack, "twingate_provider", ProviderConfig{})
	})
}
