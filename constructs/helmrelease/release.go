package helmrelease

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"sigs.k8s.io/yaml"
)

// DefaultTimeoutSeconds is how long Helm waits for a release's resources to
// become ready before it fails (and, being atomic, rolls back).
const DefaultTimeoutSeconds = 600

var (
	releaseName  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	exactVersion = regexp.MustCompile(`^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
)

// Config configures a release of a chart from a repository.
type Config struct {
	// Name is the release name (required, a DNS label of at most 53
	// characters, Helm's limit).
	Name string

	// Namespace is created if it does not exist (required).
	Namespace string

	// Repository is the chart repository URL, or an OCI registry such as
	// "oci://public.ecr.aws/karpenter" (required).
	Repository string

	// Chart is the chart name in the repository (required).
	Chart string

	// Version pins the chart to one exact version (required). Ranges are
	// rejected, so a deploy only installs a chart version someone reviewed.
	Version string

	// Values is marshalled to YAML as the release's values; use typed structs
	// with json tags. Optional.
	Values any

	// TimeoutSeconds defaults to DefaultTimeoutSeconds.
	TimeoutSeconds int

	// Provider is the Helm provider; nil uses the stack's default.
	Provider cdktf.TerraformProvider

	// DependsOn orders the release after other resources, such as the node
	// group its pods need or the CRDs its manifests use.
	DependsOn []cdktf.ITerraformDependable
}

// Validate returns every problem with c, joined, or nil.
func (c Config) Validate() error {
	var errs []error
	if len(c.Name) > 53 || !releaseName.MatchString(c.Name) {
		errs = append(errs, fmt.Errorf("helmrelease: Config.Name %q is not a valid release name; use a lowercase DNS label of at most 53 characters", c.Name))
	}
	if len(c.Namespace) > 63 || !releaseName.MatchString(c.Namespace) {
		errs = append(errs, fmt.Errorf("helmrelease: Config.Namespace %q is not a valid namespace name", c.Namespace))
	}
	if c.Repository == "" {
		errs = append(errs, fmt.Errorf("helmrelease: release %q: Config.Repository is empty; set the chart repository URL", c.Name))
	}
	if c.Chart == "" {
		errs = append(errs, fmt.Errorf("helmrelease: release %q: Config.Chart is empty; set the chart name", c.Name))
	}
	if !exactVersion.MatchString(c.Version) {
		errs = append(errs, fmt.Errorf("helmrelease: release %q: Config.Version %q is not an exact version; pin one such as \"1.2.3\"", c.Name, c.Version))
	}
	if c.TimeoutSeconds < 0 {
		errs = append(errs, fmt.Errorf("helmrelease: release %q: Config.TimeoutSeconds %d is negative", c.Name, c.TimeoutSeconds))
	}
	if _, err := yaml.Marshal(c.Values); err != nil {
		errs = append(errs, fmt.Errorf("helmrelease: release %q: Config.Values cannot be marshalled to YAML: %w", c.Name, err))
	}
	return errors.Join(errs...)
}

// New creates a Helm release. It panics if cfg is invalid.
//
// Releases are atomic (a failed install or upgrade rolls back) and wait for
// their resources, so a deploy fails where the problem is instead of leaving
// a half-upgraded component behind.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	if cfg.TimeoutSeconds == 0 {
		cfg.TimeoutSeconds = DefaultTimeoutSeconds
	}
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	rc := &release.ReleaseConfig{
		Name:            jsii.String(cfg.Name),
		Namespace:       jsii.String(cfg.Namespace),
		CreateNamespace: jsii.Bool(true),
		Repository:      jsii.String(cfg.Repository),
		Chart:           jsii.String(cfg.Chart),
		Version:         jsii.String(cfg.Version),
		Atomic:          jsii.Bool(true),
		CleanupOnFail:   jsii.Bool(true),
		Wait:            jsii.Bool(true),
		Timeout:         jsii.Number(float64(cfg.TimeoutSeconds)),
		Provider:        cfg.Provider,
	}
	if cfg.Values != nil {
		rc.Values = jsii.Strings(MarshalValues(cfg.Values))
	}
	if len(cfg.DependsOn) > 0 {
		rc.DependsOn = &cfg.DependsOn
	}
	return release.NewRelease(scope, jsii.String(id), rc)
}

// MarshalValues returns values as YAML. Values that Validate accepted always
// marshal.
func MarshalValues(values any) string {
	out, err := yaml.Marshal(values)
	if err != nil {
		panic(fmt.Sprintf("helmrelease: marshalling values: %v", err))
	}
	return string(out)
}
