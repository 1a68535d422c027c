package stacks

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawseksclusterauth"
	helm "github.com/cdktf/cdktf-provider-helm-go/helm/v10/provider"
	kubernetes "github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// ClusterConnection holds the settings the Helm and Kubernetes providers
// need to reach an EKS cluster, usually as tokens of the cluster resource in the same
// stack.
type ClusterConnection struct {
	// Name is the cluster name.
	Name *string

	// Endpoint is the API server URL.
	Endpoint *string

	// CertificateAuthorityData is the cluster CA, base64-encoded as EKS
	// returns it.
	CertificateAuthorityData *string

	// DependsOn delays the token until the cluster's access entries exist,
	// so the first deploy does not try to authenticate before the deploy
	// role has access.
	DependsOn []cdktf.ITerraformDependable
}

// NewClusterProviders configures the Helm and Kubernetes providers of stack
// for the cluster. Both authenticate with a token from the aws_eks_cluster_auth
// data source, signed with the stack's AWS credentials (the deploy role), so
// no kubeconfig file or aws CLI is needed. The token is valid for 15 minutes
// and is read again on every plan and apply.
func NewClusterProviders(stack cdktf.TerraformStack, conn ClusterConnection) (helm.HelmProvider, kubernetes.KubernetesProvider) {
	authConfig := &dataawseksclusterauth.DataAwsEksClusterAuthConfig{Name: conn.Name}
	if len(conn.DependsOn) > 0 {
		authConfig.DependsOn = &conn.DependsOn
	}
	auth := dataawseksclusterauth.NewDataAwsEksClusterAuth(stack, jsii.String("cluster_auth"), authConfig)
	ca := cdktf.Fn_Base64decode(conn.CertificateAuthorityData)

	k8s := kubernetes.NewKubernetesProvider(stack, jsii.String("kubernetes"), &kubernetes.KubernetesProviderConfig{
		Host:                 conn.Endpoint,
		ClusterCaCertificate: ca,
		Token:                auth.Token(),
	})

	h := helm.NewHelmProvider(stack, jsii.String("helm"), &helm.HelmProviderConfig{
		Kubernetes: &helm.HelmProviderKubernetes{
			Host:                 conn.Endpoint,
			ClusterCaCertificate: ca,
			Token:                auth.Token(),
		},
	})

	// As for AWS, write fully qualified sources so that Terraform and
	// OpenTofu resolve the same providers.
	stack.AddOverride(jsii.String("terraform.required_providers.helm.source"), jsii.String("hashicorp/helm"))
	stack.AddOverride(jsii.String("terraform.required_providers.kubernetes.source"), jsii.String("hashicorp/kubernetes"))
	return h, k8s
}
