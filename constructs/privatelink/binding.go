package privatelink

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

// Kubernetes name limits: Helm release names, namespace names (DNS labels)
// and Service names (DNS-1035 labels, which start with a letter).
const (
	maxReleaseNameLength = 53
	maxLabelLength       = 63
)

var (
	dnsLabel        = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	serviceLabel    = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	targetGroupARN  = regexp.MustCompile(`^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`)
	securityGroupID = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

// TargetGroupBindingConfig configures the registration of one Kubernetes
// Service's pods in the target group of a Service.
type TargetGroupBindingConfig struct {
	// Name is the Helm release name and the prefix of the
	// TargetGroupBinding's name, a lowercase DNS label of at most 53
	// characters (required).
	Name string

	// Namespace is the namespace of the Kubernetes Service, where the
	// TargetGroupBinding and the release record are created (required). It
	// must exist already.
	Namespace string

	// ServiceName is the name of the Kubernetes Service whose pods become
	// targets (required).
	ServiceName string

	// ServicePort is the port of the Kubernetes Service, as listed in its
	// spec.ports (required).
	ServicePort int

	// TargetPort is the port the pods listen on, the Service port's
	// targetPort. The AWS Load Balancer Controller registers pods on this
	// port and admits the load balancer to it. Default: ServicePort.
	TargetPort int

	// TargetGroupARN is Service.TargetGroupARN (required).
	TargetGroupARN *string

	// LoadBalancerSecurityGroupID is Service.SecurityGroupID (required).
	LoadBalancerSecurityGroupID *string

	// HelmProvider is the Helm provider of the cluster. When nil, the
	// release uses the stack's default Helm provider.
	HelmProvider cdktf.TerraformProvider

	// DependsOn orders the release after other resources. Include the AWS
	// Load Balancer Controller release, which installs the
	// TargetGroupBinding custom resource definition.
	DependsOn []cdktf.ITerraformDependable
}

// withDefaults returns a copy of c with TargetPort set to ServicePort when
// zero.
func (c TargetGroupBindingConfig) withDefaults() TargetGroupBindingConfig {
	if c.TargetPort == 0 {
		c.TargetPort = c.ServicePort
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c TargetGroupBindingConfig) Validate() error {
	var errs []error
	if len(c.Name) > maxReleaseNameLength || !dnsLabel.MatchString(c.Name) {
		errs = append(errs, fmt.Errorf("privatelink: TargetGroupBindingConfig.Name: %q is not a valid release name; use a lowercase DNS label of at most %d characters, such as %q", c.Name, maxReleaseNameLength, "control-plane-api"))
	}
	if len(c.Namespace) > maxLabelLength || !dnsLabel.MatchString(c.Namespace) {
		errs = append(errs, fmt.Errorf("privatelink: TargetGroupBindingConfig.Namespace: %q is not a valid namespace name; set it to the namespace of the Kubernetes Service", c.Namespace))
	}
	if len(c.ServiceName) > maxLabelLength || !serviceLabel.MatchString(c.ServiceName) {
		errs = append(errs, fmt.Errorf("privatelink: TargetGroupBindingConfig.ServiceName: %q is not a valid Service name; set it to the name of the Kubernetes Service", c.ServiceName))
	}
	errs = append(errs, validatePort("TargetGroupBindingConfig.ServicePort", c.ServicePort)...)
	errs = append(errs, validatePort("TargetGroupBindingConfig.TargetPort", c.TargetPort)...)
	errs = append(errs, validateToken("TargetGroupBindingConfig.TargetGroupARN", c.TargetGroupARN, targetGroupARN, "the ARN of the target group, Service.TargetGroupARN")...)
	errs = append(errs, validateToken("TargetGroupBindingConfig.LoadBalancerSecurityGroupID", c.LoadBalancerSecurityGroupID, securityGroupID, "the ID of the load balancer's security group, Service.SecurityGroupID")...)
	return errors.Join(errs...)
}

// TargetGroupBinding is a Helm release that applies one AWS Load Balancer
// Controller TargetGroupBinding. The controller keeps the target group's
// targets in step with the pods behind the Kubernetes Service, and adds a
// rule to the pods' security group that admits the load balancer on the
// target port.
type TargetGroupBinding struct {
	constructs.Construct

	// Release is the Helm release, for callers that must run after the
	// binding exists.
	Release release.Release
}

// NewTargetGroupBinding creates a Helm release of one TargetGroupBinding for
// cfg's Kubernetes Service. It panics if cfg is invalid after defaults are
// applied.
//
// The controller rejects a change of spec.targetGroupARN, so the object's
// name ends in the first 8 hex digits of the SHA-1 of the target group ARN.
// When the target group is replaced, Helm then creates a binding under a new
// name and deletes the old one instead of failing to update it.
func NewTargetGroupBinding(scope constructs.Construct, id string, cfg TargetGroupBindingConfig) *TargetGroupBinding {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	arnHash := cdktf.Fn_Substr(cdktf.Fn_Sha1(cfg.TargetGroupARN), jsii.Number(0), jsii.Number(8))

	binding := targetGroupBinding{
		APIVersion: "elbv2.k8s.aws/v1beta1",
		Kind:       "TargetGroupBinding",
		Metadata: objectMeta{
			Name:      cfg.Name + "-" + *arnHash,
			Namespace: cfg.Namespace,
		},
		Spec: targetGroupBindingSpec{
			ServiceRef:     serviceReference{Name: cfg.ServiceName, Port: cfg.ServicePort},
			TargetGroupARN: *cfg.TargetGroupARN,
			TargetType:     "ip",
			Networking: networking{Ingress: []networkingIngressRule{{
				From:  []networkingPeer{{SecurityGroup: &securityGroupPeer{GroupID: *cfg.LoadBalancerSecurityGroupID}}},
				Ports: []networkingPort{{Protocol: "TCP", Port: cfg.TargetPort}},
			}}},
		},
	}

	rel := helmrelease.NewManifests(construct, "manifests", helmrelease.ManifestsConfig{
		Name:      cfg.Name,
		Namespace: cfg.Namespace,
		Manifests: []any{binding},
		Provider:  cfg.HelmProvider,
		DependsOn: cfg.DependsOn,
	})

	return &TargetGroupBinding{Construct: construct, Release: rel}
}

// The types below are the parts of the elbv2.k8s.aws/v1beta1
// TargetGroupBinding that this package sets, with the field names of the
// custom resource definition.

type targetGroupBinding struct {
	APIVersion string                 `json:"apiVersion"`
	Kind       string                 `json:"kind"`
	Metadata   objectMeta             `json:"metadata"`
	Spec       targetGroupBindingSpec `json:"spec"`
}

type objectMeta struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

type targetGroupBindingSpec struct {
	ServiceRef     serviceReference `json:"serviceRef"`
	TargetGroupARN string           `json:"targetGroupARN"`

	// TargetType is "ip": targets are pod IP addresses on the pods' port.
	TargetType string     `json:"targetType"`
	Networking networking `json:"networking"`
}

// serviceReference names a Kubernetes Service and one of its ports.
type serviceReference struct {
	Name string `json:"name"`
	Port int    `json:"port"`
}

// networking lists the traffic the controller admits to the targets by
// adding rules to their security group.
type networking struct {
	Ingress []networkingIngressRule `json:"ingress"`
}

type networkingIngressRule struct {
	From  []networkingPeer `json:"from"`
	Ports []networkingPort `json:"ports"`
}

// networkingPeer is a traffic source. This package uses security group
// peers only.
type networkingPeer struct {
	SecurityGroup *securityGroupPeer `json:"securityGroup,omitempty"`
}

type securityGroupPeer struct {
	GroupID string `json:"groupID"`
}

// networkingPort is a port on the pods. With target type ip it is the
// container port, not the Service port.
type networkingPort struct {
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
}
