package stacks

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/addons"
	"github.com/honeyhive/platform/constructs/data"
	"github.com/honeyhive/platform/constructs/gitops"
	"github.com/honeyhive/platform/constructs/ingress"
	"github.com/honeyhive/platform/constructs/monitoring"
	"github.com/honeyhive/platform/constructs/network"
	"github.com/honeyhive/platform/constructs/privatelink"
	"github.com/honeyhive/platform/constructs/tenancy"
	"github.com/honeyhive/platform/environments"
)

// ApplicationOutputs is the contract of the application stack with the
// stacks that read it: today the primary region's application stack, which
// replicates its buckets into the DR region's.
type ApplicationOutputs struct {
	Region string

	// BucketARNs are the data buckets by their short name ("events").
	BucketARNs map[string]*string

	// DataKeyARN is the key the buckets are encrypted with; replicas written
	// into this region's buckets must use it.
	DataKeyARN *string

	DatabaseEndpoint       *string
	DatabaseReaderEndpoint *string

	// DatabaseSecretARN is the Secrets Manager secret with the master
	// credentials, which RDS rotates.
	DatabaseSecretARN *string

	// OTLPEndpoint is the collector address for workloads' traces (gRPC).
	OTLPEndpoint string

	// IngressClassName is the class that gives an Ingress a public ALB with
	// TLS 1.3 and the region's certificate; empty in a customer's account,
	// which has no public entry.
	IngressClassName string
}

// Application is the per-region stack of monitoring, data stores, public
// entry, GitOps delivery and tenants.
type Application struct {
	Stack   cdktf.TerraformStack
	Name    string
	Outputs ApplicationOutputs
}

// NewApplication creates the application stack of env in region on top of
// its hosting stack. dr is the DR region's application stack, which the
// primary region's buckets replicate into. A nil dr means no replication, as
// for the DR and expansion regions themselves, so EU data never leaves the
// EU.
//
// peers are the other halves of env's hybrid SaaS pairs in region: env gets
// an interface endpoint to each one's service, and its tenants find the
// endpoints' URLs in their "platform" ConfigMap.
func NewApplication(scope constructs.Construct, env environments.Environment, region environments.Region, hosting *Hosting, dr *Application, peers []environments.Environment) *Application {
	name := env.StackName(region, LayerApplication)
	prefix := env.Name + "-" + region.Code()
	target := env.Accounts.Target
	h := hosting.Outputs
	sub := h.Substrate

	stack, _ := newStack(scope, stackConfig{
		Name:          name,
		Layer:         LayerApplication,
		Region:        region.Name,
		Environment:   env.Name,
		CostCentre:    env.CostCentre,
		Account:       target,
		Orchestration: env.Accounts.Orchestration,
		StateRoleARN:  StateRoleARN(env),
		PlanRoleARN:   TargetPlanRoleARN(env),
	})

	// Replication into the DR region's buckets needs them to exist first.
	// The bucket ARNs are known without reading that stack's state, so
	// CDKTF would not order the two stacks by itself.
	if dr != nil {
		stack.AddDependency(dr.Stack)
	}

	helmProvider, _ := NewClusterProviders(stack, ClusterConnection{
		Name:                     h.Cluster,
		Endpoint:                 h.Endpoint,
		CertificateAuthorityData: h.CertificateAuthorityData,
	})

	cluster := addons.ClusterInfo{
		Name:         h.ClusterName,
		NameToken:    h.Cluster,
		ARN:          h.ClusterARN,
		AccountID:    target.ID,
		Region:       region.Name,
		VPCID:        sub.VPCID,
		HelmProvider: helmProvider,
	}
	secretsPrefix := fmt.Sprintf("%s/%s/", env.Name, region.Code())

	out := ApplicationOutputs{
		Region:     region.Name,
		BucketARNs: map[string]*string{},
		DataKeyARN: sub.KMS.Data,
	}

	if env.Components.Monitoring {
		m := monitoring.New(stack, "monitoring", monitoring.Config{
			Cluster:                 cluster,
			Name:                    prefix,
			SecretsPrefix:           secretsPrefix,
			SecretsKMSKeyARN:        sub.KMS.Secrets,
			LogsKMSKeyARN:           sub.KMS.Logs,
			LogRetentionDays:        env.Retention.ApplicationLogDays,
			TracesKMSKeyARN:         sub.KMS.Logs,
			PrometheusRetentionDays: env.Monitoring.PrometheusRetentionDays,
			PrometheusStorageGiB:    env.Monitoring.PrometheusStorageGiB,
			HighAvailability:        env.Tier == environments.TierProd,
		})
		out.OTLPEndpoint = m.OTLPGRPCEndpoint
	}

	if env.Components.DataStores {
		for _, short := range env.Data.Buckets {
			cfg := data.BucketConfig{
				Name:      env.DataBucketName(region, short),
				KMSKeyARN: sub.KMS.Data,
				AccountID: target.ID,
				Region:    region.Name,
			}
			if dr != nil {
				cfg.Replication = &data.Replication{
					DestinationBucketARN: dr.Outputs.BucketARNs[short],
					DestinationKMSKeyARN: dr.Outputs.DataKeyARN,
					DestinationRegion:    dr.Outputs.Region,
				}
			}
			b := data.NewBucket(stack, "data_"+short, cfg)
			out.BucketARNs[short] = b.ARN
		}

		db := data.NewDatabase(stack, "database", data.DatabaseConfig{
			Name:                    prefix + "-platform",
			InstanceClass:           env.Sizes.DatabaseInstanceClass,
			Instances:               env.Data.DatabaseInstances,
			SubnetGroupName:         sub.DatabaseSubnetGroupName,
			VPCID:                   sub.VPCID,
			AllowedSecurityGroupIDs: []*string{h.ClusterSecurityGroupID},
			KMSKeyARN:               sub.KMS.Data,
			SecretsKMSKeyARN:        sub.KMS.Secrets,
			LogsKMSKeyARN:           sub.KMS.Logs,
			LogRetentionDays:        env.Retention.ApplicationLogDays,
			BackupRetentionDays:     env.Retention.DatabaseBackupDays,
			AccountID:               target.ID,
			Region:                  region.Name,
		})
		out.DatabaseEndpoint = db.Endpoint
		out.DatabaseReaderEndpoint = db.ReaderEndpoint
		out.DatabaseSecretARN = db.MasterUserSecretARN
	}

	if env.Pattern.HasPublicEntry() {
		entry := ingress.NewPublicEntry(stack, "public_entry", ingress.PublicEntryConfig{
			Domain:       env.Domain,
			RegionCode:   region.Code(),
			Name:         prefix,
			HelmProvider: helmProvider,
		})
		out.IngressClassName = entry.IngressClassName
	}

	// What the tenants' workloads need to know of the platform: where
	// their control plane is, and the other halves of their hybrid pairs.
	settings := map[string]string{}
	if env.ControlPlane.Endpoint != "" {
		settings[controlPlaneSetting] = env.ControlPlane.Endpoint
	}
	for _, peer := range peers {
		settings[privateLinkSetting(peer)] = newPrivateLinkEndpoint(stack, env, peer, region, sub)
	}

	if env.Components.GitOps {
		// Applications may deploy only into tenant namespaces, which the
		// tenancy construct creates with their quotas and policies.
		namespaces := make([]string, len(env.Tenants))
		for i, t := range env.Tenants {
			namespaces[i] = t.Name
		}
		gitops.New(stack, "gitops", gitops.Config{
			RepoURL:           env.GitOps.RepoURL,
			Revision:          env.GitOps.Revision,
			Path:              env.GitOpsPath(region),
			Name:              prefix,
			AllowedNamespaces: namespaces,
			HelmProvider:      helmProvider,
		})
	}

	if len(env.Tenants) > 0 {
		tenants := make([]tenancy.Tenant, len(env.Tenants))
		for i, t := range env.Tenants {
			tenants[i] = tenancy.Tenant{
				Name:       t.Name,
				Group:      t.Group,
				RoleARN:    t.RoleARN,
				CPU:        t.Quota.CPU,
				MemoryGiB:  t.Quota.MemoryGiB,
				Pods:       t.Quota.Pods,
				StorageGiB: t.Quota.StorageGiB,
			}
		}
		// Pods accept traffic from load balancers only in subnets where no
		// pod has an address: the public subnets of the ALBs and the intra
		// subnets of the PrivateLink NLB.
		ranges := subnetCIDRs(env, region)
		var loadBalancers []string
		if env.Pattern.HasPublicEntry() {
			loadBalancers = append(loadBalancers, ranges.Public...)
		}
		if h.PrivateLink != nil {
			loadBalancers = append(loadBalancers, ranges.Intra...)
		}
		tenantNamespaces := tenancy.New(stack, "tenancy", tenancy.Config{
			Tenants:                 tenants,
			ClusterName:             h.Cluster,
			LoadBalancerSourceCIDRs: loadBalancers,
			DatabaseCIDRs:           ranges.Database,
			Settings:                settings,
			HelmProvider:            helmProvider,
		})

		if link := h.PrivateLink; link != nil {
			svc := env.PrivateService
			privatelink.NewTargetGroupBinding(stack, "private_link_binding", privatelink.TargetGroupBindingConfig{
				Name:                        prefix + "-link",
				Namespace:                   svc.Namespace,
				ServiceName:                 svc.Name,
				ServicePort:                 svc.Port,
				TargetPort:                  svc.TargetPort,
				TargetGroupARN:              link.TargetGroupARN,
				LoadBalancerSecurityGroupID: link.SecurityGroupID,
				HelmProvider:                helmProvider,
				DependsOn:                   []cdktf.ITerraformDependable{tenantNamespaces.Release},
			})
		}
	}

	writeApplicationOutputs(stack, out)
	return &Application{Stack: stack, Name: name, Outputs: out}
}

// subnetRanges are a region's subnet ranges by tier, as strings.
type subnetRanges struct {
	// Public holds the public load balancers' addresses.
	Public []string

	// Intra holds the EKS control plane's and the internal NLBs' addresses,
	// and never a pod's.
	Intra []string

	// Database holds the database's addresses.
	Database []string
}

// subnetCIDRs returns the region's subnet ranges, so network policies can
// name them: those of a customer's VPC as configured, otherwise from the same
// plan the network construct uses.
func subnetCIDRs(env environments.Environment, region environments.Region) subnetRanges {
	if x := region.ExistingVPC; x != nil {
		ranges := func(subnets []environments.Subnet) []string {
			out := make([]string, len(subnets))
			for i, s := range subnets {
				out[i] = s.CIDR
			}
			return out
		}
		return subnetRanges{Intra: ranges(x.IntraSubnets), Database: ranges(x.DatabaseSubnets)}
	}

	plan, err := network.PlanSubnets(region.Prefix(), env.Sizes.AvailabilityZones)
	if err != nil {
		panic(fmt.Sprintf("stacks: planning the subnets of a validated environment: %v", err))
	}
	toStrings := func(prefixes []netip.Prefix) []string {
		out := make([]string, len(prefixes))
		for i, p := range prefixes {
			out[i] = p.String()
		}
		return out
	}
	return subnetRanges{Public: toStrings(plan.Public), Intra: toStrings(plan.Intra), Database: toStrings(plan.Database)}
}

// writeApplicationOutputs declares the application stack's outputs for
// people and scripts.
func writeApplicationOutputs(stack cdktf.TerraformStack, out ApplicationOutputs) {
	outputs := map[string]any{}
	if out.DatabaseEndpoint != nil {
		outputs["database_endpoint"] = out.DatabaseEndpoint
		outputs["database_reader_endpoint"] = out.DatabaseReaderEndpoint
		outputs["database_secret_arn"] = out.DatabaseSecretARN
	}
	if out.OTLPEndpoint != "" {
		outputs["otlp_endpoint"] = out.OTLPEndpoint
	}
	if out.IngressClassName != "" {
		outputs["ingress_class_name"] = out.IngressClassName
	}

	for _, name := range slices.Sorted(maps.Keys(outputs)) {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: outputs[name]})
	}
}
