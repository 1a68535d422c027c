package twingate

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// ProviderSource is the Terraform Registry address of the Twingate provider.
const ProviderSource = "Twingate/twingate"

// ProviderVersion is the exact Twingate provider version the stacks require.
//
// 3.8.0, released in February 2026, is the newest 3.x release found when
// this was written. The 4.x series followed the same month, and moving to it
// is a separate, reviewed change.
const ProviderVersion = "3.8.0"

// providerType is the provider's local name, the prefix of every Twingate
// resource type (twingate_connector).
const providerType = "twingate"

// tenantName matches a Twingate tenant name: one DNS label, such as the
// "acme" of acme.twingate.com.
var tenantName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// ProviderConfig configures the Twingate provider.
type ProviderConfig struct {
	// Network is the Twingate tenant name, the "acme" of acme.twingate.com.
	// Required.
	Network string
}

// Validate returns every problem with c, joined, or nil.
func (c ProviderConfig) Validate() error {
	return errors.Join(validateTenant("ProviderConfig.Network", c.Network)...)
}

// twingateProvider is a TerraformProvider for the Twingate provider. CDKTF's
// TerraformProvider is abstract: a subclass supplies the provider block's
// arguments by overriding SynthesizeAttributes (JSON output) and
// SynthesizeHclAttributes (HCL output).
type twingateProvider struct {
	cdktf.TerraformProvider

	network string
}

// SynthesizeAttributes returns the provider block's arguments for JSON
// output.
func (p *twingateProvider) SynthesizeAttributes() *map[string]interface{} {
	return &map[string]interface{}{"network": p.network}
}

// SynthesizeHclAttributes returns the provider block's arguments for HCL
// output, in the shape CDKTF's generated providers use.
func (p *twingateProvider) SynthesizeHclAttributes() *map[string]interface{} {
	return &map[string]interface{}{
		"network": map[string]interface{}{
			"value":            p.network,
			"isBlock":          false,
			"type":             "simple",
			"storageClassType": "string",
		},
	}
}

// NewProvider adds the Twingate provider to scope: the provider block with
// cfg.Network and the required_providers entry pinned to ProviderSource at
// exactly ProviderVersion. It panics if cfg is invalid.
//
// The provider block has no api_token argument. The provider reads the token
// from TWINGATE_API_TOKEN when Terraform runs, so the token stays out of the
// synthesized JSON and out of the repository.
func NewProvider(scope constructs.Construct, id string, cfg ProviderConfig) cdktf.TerraformProvider {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	p := &twingateProvider{network: cfg.Network}
	cdktf.NewTerraformProvider_Override(p, scope, jsii.String(id), &cdktf.TerraformProviderConfig{
		TerraformResourceType:   jsii.String(providerType),
		TerraformProviderSource: jsii.String(ProviderSource),
		TerraformGeneratorMetadata: &cdktf.TerraformProviderGeneratorMetadata{
			ProviderName:              jsii.String(providerType),
			ProviderVersion:           jsii.String(ProviderVersion),
			ProviderVersionConstraint: jsii.String(ProviderVersion),
		},
	})
	return p
}

// validateTenant checks a Twingate tenant name given in field.
func validateTenant(field, network string) []error {
	switch {
	case network == "":
		return []error{fmt.Errorf(`twingate: %s is empty; set it to the Twingate tenant name, the "acme" of acme.twingate.com`, field)}
	case !tenantName.MatchString(network):
		return []error{fmt.Errorf(`twingate: %s: %q is not a Twingate tenant name; use only the lowercase tenant label, the "acme" of acme.twingate.com`, field, network)}
	}
	return nil
}
