package twingate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultLocation is the remote network location used when
// RemoteNetworkConfig.Location is empty.
const DefaultLocation = "AWS"

// remoteNetworkLocations are the values the provider accepts for
// twingate_remote_network.location.
var remoteNetworkLocations = []string{"AWS", "AZURE", "GOOGLE_CLOUD", "ON_PREMISE", "OTHER"}

// RemoteNetworkConfig configures a twingate_remote_network.
type RemoteNetworkConfig struct {
	// Name is the remote network's name in the Twingate Admin Console.
	// Required.
	Name string

	// Location is the network's hosting environment: AWS, AZURE,
	// GOOGLE_CLOUD, ON_PREMISE or OTHER. Default: DefaultLocation.
	Location string

	// Provider is the Twingate provider from NewProvider. Required.
	Provider cdktf.TerraformProvider
}

func (c RemoteNetworkConfig) withDefaults() RemoteNetworkConfig {
	if c.Location == "" {
		c.Location = DefaultLocation
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied: an empty Location is reported as an error.
func (c RemoteNetworkConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, errors.New("twingate: RemoteNetworkConfig.Name is empty; set it to the remote network's name in the Admin Console"))
	}
	if !slices.Contains(remoteNetworkLocations, c.Location) {
		errs = append(errs, fmt.Errorf("twingate: RemoteNetworkConfig.Location: %q is invalid; use one of %s", c.Location, strings.Join(remoteNetworkLocations, ", ")))
	}
	errs = append(errs, validateProvider("RemoteNetworkConfig.Provider", c.Provider)...)
	return errors.Join(errs...)
}

// RemoteNetwork is a twingate_remote_network: the Twingate object that
// groups the connectors and Resources of one private network.
type RemoteNetwork struct {
	cdktf.TerraformResource

	// ID is the remote network's Twingate ID.
	ID *string
}

// NewRemoteNetwork creates a twingate_remote_network named id in scope. It
// panics if cfg is invalid after defaults are applied.
func NewRemoteNetwork(scope constructs.Construct, id string, cfg RemoteNetworkConfig) *RemoteNetwork {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	r := newResource(scope, id, "twingate_remote_network", cfg.Provider)
	r.AddOverride(jsii.String("name"), jsii.String(cfg.Name))
	r.AddOverride(jsii.String("location"), jsii.String(cfg.Location))
	return &RemoteNetwork{TerraformResource: r, ID: r.GetStringAttribute(jsii.String("id"))}
}

// ConnectorConfig configures a twingate_connector.
type ConnectorConfig struct {
	// RemoteNetworkID is the ID of the remote network the connector joins.
	// Required.
	RemoteNetworkID *string

	// Name is the connector's name in the Admin Console. Default: empty,
	// which lets Twingate generate a name.
	Name string

	// StatusUpdatesEnabled makes Twingate notify the admins when the
	// connector goes offline or comes back online.
	StatusUpdatesEnabled bool

	// Provider is the Twingate provider from NewProvider. Required.
	Provider cdktf.TerraformProvider
}

// Validate returns every problem with c, joined, or nil.
func (c ConnectorConfig) Validate() error {
	var errs []error
	if c.RemoteNetworkID == nil {
		errs = append(errs, errors.New("twingate: ConnectorConfig.RemoteNetworkID is missing; set it to the ID of the remote network the connector joins"))
	}
	errs = append(errs, validateProvider("ConnectorConfig.Provider", c.Provider)...)
	return errors.Join(errs...)
}

// Connector is a twingate_connector: the Admin Console entry of one
// connector. Running it also takes tokens (ConnectorTokens) and a container.
type Connector struct {
	cdktf.TerraformResource

	// ID is the connector's Twingate ID.
	ID *string

	// Name is the connector's name, either ConnectorConfig.Name or the one
	// Twingate generated.
	Name *string
}

// NewConnector creates a twingate_connector named id in scope. It panics if
// cfg is invalid.
func NewConnector(scope constructs.Construct, id string, cfg ConnectorConfig) *Connector {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	r := newResource(scope, id, "twingate_connector", cfg.Provider)
	r.AddOverride(jsii.String("remote_network_id"), cfg.RemoteNetworkID)
	if cfg.Name != "" {
		r.AddOverride(jsii.String("name"), jsii.String(cfg.Name))
	}
	r.AddOverride(jsii.String("status_updates_enabled"), jsii.Bool(cfg.StatusUpdatesEnabled))
	return &Connector{
		TerraformResource: r,
		ID:                r.GetStringAttribute(jsii.String("id")),
		Name:              r.GetStringAttribute(jsii.String("name")),
	}
}

// ConnectorTokensConfig configures a twingate_connector_tokens.
type ConnectorTokensConfig struct {
	// ConnectorID is the ID of the connector the tokens authenticate.
	// Required.
	ConnectorID *string

	// Keepers are arbitrary values. Changing any of them replaces the
	// resource, which issues a new token pair. Default: none.
	Keepers map[string]string

	// Provider is the Twingate provider from NewProvider. Required.
	Provider cdktf.TerraformProvider
}

// Validate returns every problem with c, joined, or nil.
func (c ConnectorTokensConfig) Validate() error {
	var errs []error
	if c.ConnectorID == nil {
		errs = append(errs, errors.New("twingate: ConnectorTokensConfig.ConnectorID is missing; set it to the ID of the connector the tokens belong to"))
	}
	errs = append(errs, validateProvider("ConnectorTokensConfig.Provider", c.Provider)...)
	return errors.Join(errs...)
}

// ConnectorTokens is a twingate_connector_tokens: the access and refresh
// token pair a connector authenticates with. The provider marks both
// attributes sensitive, and Terraform state stores them.
type ConnectorTokens struct {
	cdktf.TerraformResource

	// AccessToken is the connector's access token.
	AccessToken *string

	// RefreshToken is the connector's refresh token.
	RefreshToken *string
}

// NewConnectorTokens creates a twingate_connector_tokens named id in scope.
// It panics if cfg is invalid.
func NewConnectorTokens(scope constructs.Construct, id string, cfg ConnectorTokensConfig) *ConnectorTokens {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	r := newResource(scope, id, "twingate_connector_tokens", cfg.Provider)
	r.AddOverride(jsii.String("connector_id"), cfg.ConnectorID)
	if len(cfg.Keepers) > 0 {
		keepers := map[string]*string{}
		for k, v := range cfg.Keepers {
			keepers[k] = jsii.String(v)
		}
		r.AddOverride(jsii.String("keepers"), keepers)
	}
	return &ConnectorTokens{
		TerraformResource: r,
		AccessToken:       r.GetStringAttribute(jsii.String("access_token")),
		RefreshToken:      r.GetStringAttribute(jsii.String("refresh_token")),
	}
}

// newResource creates a Twingate resource of type resourceType whose
// arguments the caller sets with AddOverride.
func newResource(scope constructs.Construct, id, resourceType string, provider cdktf.TerraformProvider) cdktf.TerraformResource {
	return cdktf.NewTerraformResource(scope, jsii.String(id), &cdktf.TerraformResourceConfig{
		TerraformResourceType: jsii.String(resourceType),
		TerraformGeneratorMetadata: &cdktf.TerraformProviderGeneratorMetadata{
			ProviderName: jsii.String(providerType),
		},
		Provider: provider,
	})
}

// validateProvider checks that a Twingate provider was given in field.
// Without one, Terraform would look for a provider named hashicorp/twingate.
func validateProvider(field string, provider cdktf.TerraformProvider) []error {
	if provider == nil {
		return []error{fmt.Errorf("twingate: %s is missing; pass the provider returned by NewProvider", field)}
	}
	return nil
}
