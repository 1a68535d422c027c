package stacks

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/addons"
	"github.com/honeyhive/platform/constructs/eks"
	"github.com/honeyhive/platform/constructs/karpenter"
	"github.com/honeyhive/platform/environments"
)

// HostingOutputs is the contract between the hosting stack and the
// application layer. The pointer fields are CDKTF tokens of this stack.
type HostingOutputs struct {
	// ClusterName is the literal name; Cluster is the same name as a token,
	// which makes dependent resources wait for the cluster.
	ClusterName string
	Cluster     *string

	ClusterARN               *string
	Endpoint                 *string
	CertificateAuthorityData *string
	OIDCIssuerURL            *string

	// ClusterSecurityGroupID is the EKS-created security group of the control
	// plane and the nodes; databases admit the cluster through it.
	ClusterSecurityGroupID *string

	// PublicZoneID is the environment's public hosted zone; nil in a
	// customer's account, which has none.
	PublicZoneID *string

	// NodeRoleARN is the role of the nodes Karpenter launches.
	NodeRoleARN *string

	// PodIdentity identifies the cluster for the application layer's own Pod
	// Identity roles.
	PodIdentity PodIdentityInfo

	// ArgoCDNamespace is the namespace of Argo CD, in which applications are
	// created.
	ArgoCDNamespace string

	// PrivateLink is the service that offers the environment's
	// PrivateService to the other half of a hybrid SaaS pair; nil when there
	// is none.
	PrivateLink *PrivateLinkService

	// Substrate passes the substrate's outputs on, so the application layer
	// depends on one struct.
	Substrate SubstrateOutputs
}

// PodIdentityInfo identifies the cluster for Pod Identity roles and
// associations.
type PodIdentityInfo struct {
	ClusterName *string
	ClusterARN  *string
	AccountID   string
}

// Hosting is the per-region stack that runs the EKS cluster, Karpenter and
// the cluster add-ons.
type Hosting struct {
	Stack   cdktf.TerraformStack
	Name    string
	Outputs HostingOutputs
}

// NewHosting creates the hosting stack of env in region on top of its
// substrate. peers are the other halves of env's hybrid SaaS pairs in
// region, which may reach env's PrivateService.
func NewHosting(scope constructs.Construct, env environments.Environment, region environments.Region, substrate *Substrate, peers []environments.Environment) *Hosting {
	name := env.StackName(region, LayerHosting)
	prefix := env.Name + "-" + region.Code()
	target := env.Accounts.Target
	sub := substrate.Outputs

	stack, _ := newStack(scope, stackConfig{
		Name:          name,
		Layer:         LayerHosting,
		Region:        region.Name,
		Environment:   env.Name,
		CostCentre:    env.CostCentre,
		Account:       target,
		Orchestration: env.Accounts.Orchestration,
		StateRoleARN:  StateRoleARN(env),
		PlanRoleARN:   TargetPlanRoleARN(env),
	})

	// The control plane lives in the intra subnets, which have no route to
	// the internet; engineers reach the private endpoint through Twingate.
	var apiAccess []*string
	if sub.TwingateSecurityGroupID != nil {
		apiAccess = append(apiAccess, sub.TwingateSecurityGroupID)
	}
	cluster := eks.NewCluster(stack, "eks", eks.ClusterConfig{
		Name:                      sub.ClusterName,
		Version:                   env.Kubernetes.Version,
		AccountID:                 target.ID,
		Region:                    region.Name,
		ControlPlaneSubnetIDs:     sub.IntraSubnetIDs,
		SecretsKMSKeyARN:          sub.KMS.Cluster,
		LogsKMSKeyARN:             sub.KMS.Logs,
		LogRetentionDays:          env.Retention.ClusterLogDays,
		PublicAccessCIDRs:         env.Kubernetes.PublicAccessCIDRs,
		APIAccessSecurityGroupIDs: apiAccess,
		DeployRoleARN:             target.DeployRoleARN(),
		AdminRoleARNs:             []string{target.AdminRoleARN()},
		ViewerRoleARNs:            viewerRoles(env),
		AdminViewerRoleARNs:       adminViewerRoles(env),
	})

	size := env.Sizes.SystemNodes
	systemNodes := eks.NewNodeGroup(stack, "system_nodes", eks.NodeGroupConfig{
		ClusterName:     cluster.Name,
		Name:            "system",
		Version:         env.Kubernetes.Version,
		SubnetIDs:       sub.PrivateSubnetIDs,
		InstanceTypes:   size.InstanceTypes,
		Min:             size.Min,
		Desired:         size.Desired,
		Max:             size.Max,
		VolumeKMSKeyARN: sub.KMS.Data,
	})

	coreAddons := eks.NewAddons(stack, "eks_addons", eks.AddonsConfig{
		ClusterName:     cluster.Name,
		ClusterARN:      cluster.ARN,
		Version:         env.Kubernetes.Version,
		AccountID:       target.ID,
		VolumeKMSKeyARN: sub.KMS.Data,
		Name:            prefix,
		NodeGroup:       systemNodes.Resource,
	})

	// Helm and Kubernetes reach the cluster only once the deploy role's
	// access entry exists.
	helmProvider, kubernetesProvider := NewClusterProviders(stack, ClusterConnection{
		Name:                     cluster.Name,
		Endpoint:                 cluster.Endpoint,
		CertificateAuthorityData: cluster.CertificateAuthorityData,
		DependsOn:                cluster.AccessEntries,
	})

	// Everything that runs pods waits for the system nodes and the core
	// add-ons (networking, DNS, Pod Identity).
	// Map order is random, so the names are sorted to keep the synthesized
	// depends_on lists, and the snapshots, stable.
	ready := []cdktf.ITerraformDependable{systemNodes.Resource}
	for _, name := range slices.Sorted(maps.Keys(coreAddons.Addons)) {
		ready = append(ready, coreAddons.Addons[name])
	}

	eks.NewDefaultStorageClass(stack, "storage_class", eks.StorageClassConfig{
		KMSKeyARN: sub.KMS.Data,
		Provider:  kubernetesProvider,
		DependsOn: ready,
	})

	k := env.Sizes.Karpenter
	kp := karpenter.New(stack, "karpenter", karpenter.Config{
		ClusterName:            sub.ClusterName,
		Cluster:                cluster.Name,
		ClusterARN:             cluster.ARN,
		ClusterEndpoint:        cluster.Endpoint,
		ClusterSecurityGroupID: cluster.ClusterSecurityGroupID,
		AccountID:              target.ID,
		Region:                 region.Name,
		Name:                   prefix,
		VolumeKMSKeyARN:        sub.KMS.Data,
		CPULimit:               k.CPULimit,
		MemoryLimitGiB:         k.MemoryLimitGiB,
		InstanceFamilies:       k.InstanceFamilies,
		HelmProvider:           helmProvider,
		DependsOn:              ready,
	})

	info := addons.ClusterInfo{
		Name:         sub.ClusterName,
		NameToken:    cluster.Name,
		ARN:          cluster.ARN,
		AccountID:    target.ID,
		Region:       region.Name,
		VPCID:        sub.VPCID,
		HelmProvider: helmProvider,
		DependsOn:    ready,
	}
	addons.NewLoadBalancerController(stack, "aws_load_balancer_controller", addons.LoadBalancerControllerConfig{Cluster: info})
	// The environment's public zone belongs to its global stack, which
	// deploys before every regional stack. A lookup by name keeps the
	// regional state free of a reference into that stack. A deployment in a
	// customer's account has no public zone.
	zones := []*string{sub.PrivateZoneID}
	var publicZoneID *string
	if env.Pattern.HasPublicEntry() {
		publicZone := dataawsroute53zone.NewDataAwsRoute53Zone(stack, jsii.String("public_zone"), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
			Name:        jsii.String(env.Domain),
			PrivateZone: jsii.Bool(false),
		})
		publicZoneID = publicZone.ZoneId()
		zones = append(zones, publicZoneID)
	}

	addons.NewExternalDNS(stack, "external_dns", addons.ExternalDNSConfig{
		Cluster:       info,
		ZoneIDs:       zones,
		DomainFilters: []string{env.Domain},
	})
	addons.NewCertManager(stack, "cert_manager", addons.CertManagerConfig{
		Cluster: info,
		ZoneIDs: zones,
	})
	// HoneyHive's shared secrets stay out of customers' accounts (see
	// newSharedSecrets).
	orchestration := env.Accounts.Orchestration
	var shared *addons.SharedSecrets
	if !env.Pattern.InCustomerAccount() {
		shared = &addons.SharedSecrets{
			AccountID:  orchestration.ID,
			Region:     orchestration.HomeRegion,
			Prefix:     SharedSecretsPrefix,
			Namespaces: []string{"argocd", "monitoring"},
		}
	}
	addons.NewExternalSecrets(stack, "external_secrets", addons.ExternalSecretsConfig{
		Cluster:          info,
		SecretsPrefix:    fmt.Sprintf("%s/%s/", env.Name, region.Code()),
		SecretsKMSKeyARN: sub.KMS.Secrets,
		Shared:           shared,
	})
	addons.NewMetricsServer(stack, "metrics_server", addons.MetricsServerConfig{Cluster: info})
	argo := addons.NewArgoCD(stack, "argocd", addons.ArgoCDConfig{
		Cluster:          info,
		HighAvailability: env.Tier == environments.TierProd,
	})

	out := HostingOutputs{
		ClusterName:              sub.ClusterName,
		Cluster:                  cluster.Name,
		ClusterARN:               cluster.ARN,
		Endpoint:                 cluster.Endpoint,
		CertificateAuthorityData: cluster.CertificateAuthorityData,
		OIDCIssuerURL:            cluster.OIDCIssuerURL,
		ClusterSecurityGroupID:   cluster.ClusterSecurityGroupID,
		PublicZoneID:             publicZoneID,
		NodeRoleARN:              kp.NodeRoleARN,
		PodIdentity: PodIdentityInfo{
			ClusterName: cluster.Name,
			ClusterARN:  cluster.ARN,
			AccountID:   target.ID,
		},
		ArgoCDNamespace: argo.Namespace,
		Substrate:       sub,
	}
	if env.PrivateService != nil && len(peers) > 0 {
		out.PrivateLink = newPrivateLinkService(stack, env, region, sub, peers)
	}
	writeHostingOutputs(stack, out, cluster.AccessEntries)
	return &Hosting{Stack: stack, Name: name, Outputs: out}
}

// writeHostingOutputs declares the hosting stack's outputs for people and
// scripts. The endpoint output waits for the access entries, so a reader of
// it can already authenticate.
func writeHostingOutputs(stack cdktf.TerraformStack, out HostingOutputs, accessEntries []cdktf.ITerraformDependable) {
	outputs := []struct {
		name      string
		value     any
		dependsOn []cdktf.ITerraformDependable
	}{
		{"cluster_name", out.Cluster, nil},
		{"cluster_arn", out.ClusterARN, nil},
		{"cluster_endpoint", out.Endpoint, accessEntries},
		{"cluster_certificate_authority_data", out.CertificateAuthorityData, nil},
		{"cluster_security_group_id", out.ClusterSecurityGroupID, nil},
		{"karpenter_node_role_arn", out.NodeRoleARN, nil},
		{"argocd_namespace", out.ArgoCDNamespace, nil},
	}
	for _, o := range outputs {
		config := &cdktf.TerraformOutputConfig{Value: o.value}
		if len(o.dependsOn) > 0 {
			config.DependsOn = &o.dependsOn
		}
		cdktf.NewTerraformOutput(stack, jsii.String(o.name), config)
	}
}

// adminViewerRoles returns the roles that read every object of env's
// clusters: the read-only plan role of HoneyHive's target accounts.
func adminViewerRoles(env environments.Environment) []string {
	if arn := TargetPlanRoleARN(env); arn != "" {
		return []string{arn}
	}
	return nil
}

// viewerRoles returns the roles that get view-only access to env's
// clusters: HoneyHive's operator role in a customer's account.
func viewerRoles(env environments.Environment) []string {
	if arn := OperatorRoleARN(env); arn != "" {
		return []string{arn}
	}
	return nil
}
