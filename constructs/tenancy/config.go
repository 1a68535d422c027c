package tenancy

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultMonitoringNamespace is the namespace Prometheus runs in.
const DefaultMonitoringNamespace = "monitoring"

// DefaultTelemetryNamespace is the namespace the OpenTelemetry collector
// runs in.
const DefaultTelemetryNamespace = "monitoring"

// DefaultStorageGiB is the storage quota of a tenant that sets none.
const DefaultStorageGiB = 100

// maxIPv4SubnetBits is the shortest prefix an IPv4 subnet can have: a VPC's
// IPv4 range is at most a /16, so a subnet CIDR is never wider.
const maxIPv4SubnetBits = 16

var (
	// namespacePattern matches an RFC 1123 label, which is what Kubernetes
	// allows as a namespace name, without the length limit.
	// configMapKey is what Kubernetes accepts as a ConfigMap data key.
	configMapKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)

	namespacePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

	// clusterNamePattern is the pattern the EKS API documents for cluster
	// names.
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
)

// maxNamespaceLength is the Kubernetes limit on namespace names.
const maxNamespaceLength = 63

// maxConfigMapKeyLength is the Kubernetes limit on a ConfigMap key.
const maxConfigMapKeyLength = 253

// SettingsConfigMap is the name of the ConfigMap that carries
// Config.Settings in every tenant namespace.
const SettingsConfigMap = "platform"

// reservedNamespaces are the namespaces the platform uses itself. Every name
// starting with "kube-" is reserved too, because Kubernetes keeps that
// prefix for its own namespaces.
var reservedNamespaces = []string{"default", "argocd", "cert-manager", "external-dns", "external-secrets", "monitoring"}

// Tenant is a team or customer that gets one namespace with a quota,
// default container limits, network policies and, for its group, the rights
// of the TenantRoleName ClusterRole.
type Tenant struct {
	// Name is the namespace name (required): an RFC 1123 label of at most 63
	// characters that is not one of the platform's namespaces.
	Name string

	// Group is the Kubernetes group bound to TenantRoleName in the
	// namespace (required, without the reserved "system:" prefix).
	Group string

	// RoleARN is an IAM role whose sessions join Group through an EKS access
	// entry. Optional: without it, members reach Group through some other
	// access entry or identity provider.
	RoleARN string

	// CPU is the quota for both requests.cpu and limits.cpu, in cores
	// (required, > 0).
	CPU int

	// MemoryGiB is the quota for both requests.memory and limits.memory, in
	// GiB (required, > 0).
	MemoryGiB int

	// Pods is the maximum number of pods in the namespace (required, > 0).
	Pods int

	// StorageGiB is the quota for requests.storage, the total size of the
	// namespace's PersistentVolumeClaims, in GiB. Zero means the default.
	// Default: DefaultStorageGiB.
	StorageGiB int
}

// Config configures the tenants of one cluster.
type Config struct {
	// Tenants are the namespaces to create (at least one).
	Tenants []Tenant

	// ClusterName is the cluster's name, usually a token of the
	// aws_eks_cluster resource. Required if any tenant has a RoleARN.
	ClusterName *string

	// LoadBalancerSourceCIDRs are the IPv4 CIDRs of the subnets where load
	// balancers have their addresses: the public subnets of the ALBs, and
	// the subnets of internal NLBs. Load balancers send traffic to targets
	// in IP mode from those addresses, so the tenants' pods accept ingress
	// from them. Optional: without them, tenants get no ingress from load
	// balancers. Never list the subnets pods take addresses from, or every
	// pod could reach every tenant.
	LoadBalancerSourceCIDRs []string

	// Settings become the "platform" ConfigMap in every tenant namespace,
	// from which workloads read what the platform decides for them, such as
	// the URL of their control plane. Keys must be valid ConfigMap keys.
	Settings map[string]string

	// MonitoringNamespace is the namespace Prometheus runs in. Its pods may
	// connect to every tenant pod, to scrape metrics.
	// Default: DefaultMonitoringNamespace.
	MonitoringNamespace string

	// TelemetryNamespace is the namespace the OpenTelemetry collector runs
	// in. Tenant pods may send OTLP to its pods on TCP 4317 (gRPC) and 4318
	// (HTTP). Default: DefaultTelemetryNamespace.
	TelemetryNamespace string

	// DatabaseCIDRs are the database subnets' IPv4 CIDRs. Tenant pods may
	// connect to them on TCP 5432, the PostgreSQL port. Optional: without
	// them, tenants get no egress to the database.
	DatabaseCIDRs []string

	// HelmProvider installs the release. Nil uses the stack's default Helm
	// provider.
	HelmProvider cdktf.TerraformProvider

	// DependsOn orders the release after these resources, such as the
	// cluster's core add-ons.
	DependsOn []cdktf.ITerraformDependable
}

// withDefaults returns a copy of c with an empty MonitoringNamespace set to
// DefaultMonitoringNamespace, an empty TelemetryNamespace set to
// DefaultTelemetryNamespace and a zero StorageGiB set to DefaultStorageGiB.
// It copies Tenants, so the caller's slice stays unchanged.
func (c Config) withDefaults() Config {
	if c.MonitoringNamespace == "" {
		c.MonitoringNamespace = DefaultMonitoringNamespace
	}
	if c.TelemetryNamespace == "" {
		c.TelemetryNamespace = DefaultTelemetryNamespace
	}
	c.Tenants = slices.Clone(c.Tenants)
	for i := range c.Tenants {
		if c.Tenants[i].StorageGiB == 0 {
			c.Tenants[i].StorageGiB = DefaultStorageGiB
		}
	}
	return c
}

// Validate returns every problem with c, joined, or nil. It checks c with
// its defaults applied, so an empty MonitoringNamespace, an empty
// TelemetryNamespace and a zero StorageGiB are valid.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if len(c.Tenants) == 0 {
		errs = append(errs, errors.New("tenancy: Config.Tenants is empty; list at least one tenant"))
	}

	names := map[string]int{}
	roles := map[string]int{}
	firstWithRole := -1
	for i, t := range c.Tenants {
		errs = append(errs, c.validateTenant(i, t)...)

		if j, seen := names[t.Name]; seen {
			errs = append(errs, fmt.Errorf("tenancy: Config.Tenants[%d].Name: %q is already the name of Tenants[%d]; give every tenant its own name", i, t.Name, j))
		} else {
			names[t.Name] = i
		}

		if t.RoleARN == "" {
			continue
		}
		if firstWithRole < 0 {
			firstWithRole = i
		}
		if j, seen := roles[t.RoleARN]; seen {
			errs = append(errs, fmt.Errorf("tenancy: Config.Tenants[%d].RoleARN: %q is already the role of Tenants[%d]; EKS allows one access entry per principal, so give each tenant its own role", i, t.RoleARN, j))
		} else {
			roles[t.RoleARN] = i
		}
	}

	switch {
	case firstWithRole >= 0 && awsid.Missing(c.ClusterName):
		errs = append(errs, fmt.Errorf("tenancy: Config.ClusterName is missing, but Tenants[%d] (%q) has a RoleARN; pass the cluster's name so that its access entry can be created", firstWithRole, c.Tenants[firstWithRole].Name))
	case isLiteral(c.ClusterName) && !clusterNamePattern.MatchString(*c.ClusterName):
		errs = append(errs, fmt.Errorf("tenancy: Config.ClusterName: %q is not a valid EKS cluster name; pass the cluster's name or the aws_eks_cluster resource's name", *c.ClusterName))
	}

	for _, key := range slices.Sorted(maps.Keys(c.Settings)) {
		if !configMapKey.MatchString(key) || len(key) > maxConfigMapKeyLength {
			errs = append(errs, fmt.Errorf("tenancy: Config.Settings: %q is not a ConfigMap key; use up to 253 letters, digits, '-', '_' and '.'", key))
		}
	}
	errs = append(errs, validateSubnetCIDRs("LoadBalancerSourceCIDRs", "the public subnets' CIDRs", c.LoadBalancerSourceCIDRs)...)
	errs = append(errs, validateSubnetCIDRs("DatabaseCIDRs", "the database subnets' CIDRs", c.DatabaseCIDRs)...)

	if m := c.MonitoringNamespace; !isNamespaceName(m) {
		errs = append(errs, fmt.Errorf("tenancy: Config.MonitoringNamespace: %q is not a valid namespace name; use the namespace Prometheus runs in, for example %q", m, DefaultMonitoringNamespace))
	}
	if n := c.TelemetryNamespace; !isNamespaceName(n) {
		errs = append(errs, fmt.Errorf("tenancy: Config.TelemetryNamespace: %q is not a valid namespace name; use the namespace the OpenTelemetry collector runs in, for example %q", n, DefaultTelemetryNamespace))
	}
	return errors.Join(errs...)
}

// validateTenant returns the problems with the tenant at index i that do
// not depend on the other tenants.
func (c Config) validateTenant(i int, t Tenant) []error {
	field := fmt.Sprintf("Config.Tenants[%d]", i)
	var errs []error

	switch {
	case !isNamespaceName(t.Name):
		errs = append(errs, fmt.Errorf("tenancy: %s.Name: %q is not a valid namespace name; use 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit", field, t.Name))
	case isReserved(t.Name):
		errs = append(errs, fmt.Errorf("tenancy: %s.Name: %q is reserved for the platform; choose a name other than %s that does not start with \"kube-\"", field, t.Name, strings.Join(reservedNamespaces, ", ")))
	case t.Name == c.MonitoringNamespace:
		errs = append(errs, fmt.Errorf("tenancy: %s.Name: %q is the monitoring namespace; choose another name", field, t.Name))
	case t.Name == c.TelemetryNamespace:
		errs = append(errs, fmt.Errorf("tenancy: %s.Name: %q is the telemetry namespace; choose another name", field, t.Name))
	}

	switch {
	case t.Group == "":
		errs = append(errs, fmt.Errorf("tenancy: %s.Group is empty; set the Kubernetes group whose members may edit namespace %q", field, t.Name))
	case strings.HasPrefix(t.Group, "system:"):
		errs = append(errs, fmt.Errorf("tenancy: %s.Group: %q has the \"system:\" prefix that Kubernetes reserves for its own groups; choose a group outside it", field, t.Group))
	case strings.ContainsFunc(t.Group, unicode.IsSpace):
		errs = append(errs, fmt.Errorf("tenancy: %s.Group: %q contains whitespace; use a group name without spaces", field, t.Group))
	}

	// Access entries accept role ARNs with paths, in any partition.
	if t.RoleARN != "" {
		if err := awsid.RoleARN("tenancy: "+field+".RoleARN", t.RoleARN, ""); err != nil {
			errs = append(errs, fmt.Errorf("%w, or leave it empty", err))
		}
	}

	if t.CPU <= 0 {
		errs = append(errs, fmt.Errorf("tenancy: %s.CPU: %d is not positive; set the tenant's CPU quota in cores", field, t.CPU))
	}
	if t.MemoryGiB <= 0 {
		errs = append(errs, fmt.Errorf("tenancy: %s.MemoryGiB: %d is not positive; set the tenant's memory quota in GiB", field, t.MemoryGiB))
	}
	if t.Pods <= 0 {
		errs = append(errs, fmt.Errorf("tenancy: %s.Pods: %d is not positive; set the maximum number of pods in the namespace", field, t.Pods))
	}
	if t.StorageGiB < 0 {
		errs = append(errs, fmt.Errorf("tenancy: %s.StorageGiB: %d is negative; set the tenant's storage quota in GiB, or 0 for the default of %d", field, t.StorageGiB, DefaultStorageGiB))
	}
	return errs
}

// validateSubnetCIDRs returns the problems with the subnet ranges of the
// Config field named field; hint names the ranges the fix should pass. Each entry
// must be an IPv4 network address no wider than a VPC, because the network
// policies open every address of the range, and a wider one would reach
// far more than the intended subnets.
func validateSubnetCIDRs(field, hint string, cidrs []string) []error {
	var errs []error
	seen := map[netip.Prefix]int{}
	for i, s := range cidrs {
		entry := fmt.Sprintf("Config.%s[%d]", field, i)
		prefix, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !prefix.Addr().Is4():
			errs = append(errs, fmt.Errorf("tenancy: %s: %q is not an IPv4 CIDR; use one such as \"10.0.0.0/24\"", entry, s))
			continue
		case prefix.Masked() != prefix:
			errs = append(errs, fmt.Errorf("tenancy: %s: %q has host bits set; use the network address %q", entry, s, prefix.Masked().String()))
		case prefix.Bits() < maxIPv4SubnetBits:
			errs = append(errs, fmt.Errorf("tenancy: %s: %q is wider than a VPC can be (/%d); pass %s", entry, s, maxIPv4SubnetBits, hint))
		}

		if j, dup := seen[prefix.Masked()]; dup {
			errs = append(errs, fmt.Errorf("tenancy: %s: %q is already listed as %s[%d]; list each subnet once", entry, s, field, j))
		} else {
			seen[prefix.Masked()] = i
		}
	}
	return errs
}

// isNamespaceName reports whether name is a valid Kubernetes namespace name.
func isNamespaceName(name string) bool {
	return len(name) <= maxNamespaceLength && namespacePattern.MatchString(name)
}

// isReserved reports whether name is a namespace the platform or Kubernetes
// uses.
func isReserved(name string) bool {
	return strings.HasPrefix(name, "kube-") || slices.Contains(reservedNamespaces, name)
}

// isLiteral reports whether s is a plain value known at synth time rather
// than a token of another resource.
func isLiteral(s *string) bool {
	return s != nil && *s != "" && !*cdktf.Token_IsUnresolved(s)
}
