package twingate

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestTwingateResourceArguments(t *testing.T) {
	stack := synthtest.Stack(t)
	provider := NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"})
	network := NewRemoteNetwork(stack, "office", RemoteNetworkConfig{Name: "Office", Provider: provider})
	onPremises := NewRemoteNetwork(stack, "lab", RemoteNetworkConfig{Name: "Lab", Location: "ON_PREMISE", Provider: provider})
	named := NewConnector(stack, "named", ConnectorConfig{RemoteNetworkID: network.ID, Name: "office-1", StatusUpdatesEnabled: true, Provider: provider})
	unnamed := NewConnector(stack, "unnamed", ConnectorConfig{RemoteNetworkID: onPremises.ID, Provider: provider})
	NewConnectorTokens(stack, "named_tokens", ConnectorTokensConfig{ConnectorID: named.ID, Keepers: map[string]string{"rotation": "2026-01"}, Provider: provider})
	NewConnectorTokens(stack, "unnamed_tokens", ConnectorTokensConfig{ConnectorID: unnamed.ID, Provider: provider})
	doc := synthtest.Synth(t, stack)

	t.Run("remote network", func(t *testing.T) {
		office := doc.Resource(t, "twingate_remote_network", "office")
		assert.Equal(t, "Office", office["name"])
		assert.Equal(t, "AWS", office["location"], "location defaults to AWS")
		assert.Equal(t, "twingate", office["provider"])

		lab := doc.Resource(t, "twingate_remote_network", "lab")
		assert.Equal(t, "ON_PREMISE", lab["location"])
	})

	t.Run("connector", func(t *testing.T) {
		c := doc.Resource(t, "twingate_connector", "named")
		assert.Equal(t, "${twingate_remote_network.office.id}", c["remote_network_id"])
		assert.Equal(t, "office-1", c["name"])
		assert.Equal(t, true, c["status_updates_enabled"])
		assert.Equal(t, "twingate", c["provider"])

		u := doc.Resource(t, "twingate_connector", "unnamed")
		assert.Equal(t, "${twingate_remote_network.lab.id}", u["remote_network_id"])
		assert.NotContains(t, u, "name", "an empty Name lets Twingate generate one")
		assert.Equal(t, false, u["status_updates_enabled"])
	})

	t.Run("connector tokens", func(t *testing.T) {
		tokens := doc.Resource(t, "twingate_connector_tokens", "named_tokens")
		assert.Equal(t, "${twingate_connector.named.id}", tokens["connector_id"])
		assert.Equal(t, map[string]any{"rotation": "2026-01"}, tokens["keepers"])
		assert.Equal(t, "twingate", tokens["provider"])

		plain := doc.Resource(t, "twingate_connector_tokens", "unnamed_tokens")
		assert.Equal(t, "${twingate_connector.unnamed.id}", plain["connector_id"])
		assert.NotContains(t, plain, "keepers")
	})
}

func TestConnectorTokensAttributes(t *testing.T) {
	stack := synthtest.Stack(t)
	provider := NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"})
	tokens := NewConnectorTokens(stack, "tokens", ConnectorTokensConfig{ConnectorID: jsii.String("Q29ubmVjdG9yOjE="), Provider: provider})
	cdktf.NewTerraformOutput(stack, jsii.String("access"), &cdktf.TerraformOutputConfig{Value: tokens.AccessToken, Sensitive: jsii.Bool(true)})
	cdktf.NewTerraformOutput(stack, jsii.String("refresh"), &cdktf.TerraformOutputConfig{Value: tokens.RefreshToken, Sensitive: jsii.Bool(true)})
	doc := synthtest.Synth(t, stack)

	outputs := doc.Outputs()
	assert.Equal(t, "${twingate_connector_tokens.tokens.access_token}", outputs["access"]["value"])
	assert.Equal(t, "${twingate_connector_tokens.tokens.refresh_token}", outputs["refresh"]["value"])
}

func TestTwingateResourceConfigValidate(t *testing.T) {
	id := jsii.String("id")

	tests := []struct {
		name string
		err  error
		want string
	}{
		{"remote network without name", RemoteNetworkConfig{Location: "AWS"}.Validate(), "RemoteNetworkConfig.Name is empty"},
		{"remote network with blank name", RemoteNetworkConfig{Name: "  ", Location: "AWS"}.Validate(), "RemoteNetworkConfig.Name is empty"},
		{"remote network location", RemoteNetworkConfig{Name: "x", Location: "aws"}.Validate(), `RemoteNetworkConfig.Location: "aws" is invalid`},
		{"remote network without provider", RemoteNetworkConfig{Name: "x"}.withDefaults().Validate(), "RemoteNetworkConfig.Provider is missing"},
		{"connector without network", ConnectorConfig{}.Validate(), "ConnectorConfig.RemoteNetworkID is missing"},
		{"connector without provider", ConnectorConfig{RemoteNetworkID: id}.Validate(), "ConnectorConfig.Provider is missing"},
		{"tokens without connector", ConnectorTokensConfig{}.Validate(), "ConnectorTokensConfig.ConnectorID is missing"},
		{"tokens without provider", ConnectorTokensConfig{ConnectorID: id}.Validate(), "ConnectorTokensConfig.Provider is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, tt.err, tt.want)
		})
	}
}

func TestTwingateResourcesPanicOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)

	assert.Panics(t, func() { NewRemoteNetwork(stack, "network", RemoteNetworkConfig{}) })
	assert.Panics(t, func() { NewConnector(stack, "connector", ConnectorConfig{}) })
	assert.Panics(t, func() { NewConnectorTokens(stack, "tokens", ConnectorTokensConfig{}) })
}
