package stacks

import (
	"github.com/aws/jsii-runtime-go"
	helm "github.com/cdktf/cdktf-provider-helm-go/helm/v10/provider"
	kubernetes "github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// ClusterConnection is what the Helm and Kubernetes providers need to reach
// an EKS cluster. Endpoint and CertificateAuthorityData are usually tokens
// from the hosting layer.
type ClusterConnection struct {
	Name   string
	Region string

	// Endpoint is the API server URL.
	Endpoint *string

	// CertificateAuthorityData is the cluster CA, base64-encoded as EKS
	// returns it.
	CertificateAuthorityData *string

	// RoleARN is the role the token is requested with; it must have an access
	// entry on the cluster.
	RoleARN string
}

// NewClusterProviders configures the Helm and Kubernetes providers of stack
// for the cluster. Both fetch a short-lived token with `aws eks get-token`
// on every run, so no cluster credential is stored in the synthesized JSON or
// in Terraform state.
func NewClusterProviders(stack cdktf.TerraformStack, conn ClusterConnection) (helm.HelmProvider, kubernetes.KubernetesProvider) {
	args := jsii.Strings("eks", "get-token", "--cluster-name", conn.Name, "--region", conn.Region, "--role-arn", conn.RoleARN)
	ca := cdktf.Fn_Base64decode(conn.CertificateAuthorityData)
	const apiVersion = "client.authentication.k8s.io/v1beta1"

	k8s := kubernetes.NewKubernetesProvider(stack, jsii.String("kubernetes"), &kubernetes.KubernetesProviderConfig{
		Host:                 conn.Endpoint,
		ClusterCaCertificate: ca,
		Exec: []kubernetes.KubernetesProviderExec{{
			ApiVersion: jsii.String(apiVersion),
			Command:    jsii.String("aws"),
			Args:       args,
		}},
	})

	h := helm.NewHelmProvider(stack, jsii.String("helm"), &helm.HelmProviderConfig{
		Kubernetes: &helm.HelmProviderKubernetes{
			Host:                 conn.Endpoint,
			ClusterCaCertificate: ca,
			Exec: &helm.HelmProviderKubernetesExec{
				ApiVersion: jsii.String(apiVersion),
				Command:    jsii.String("aws"),
				Args:       args,
			},
		},
	})

	// As for AWS, write fully qualified sources so that Terraform and
	// OpenTofu resolve the same providers.
	stack.AddOverride(jsii.String("terraform.required_providers.helm.source"), jsii.String("hashicorp/helm"))
	stack.AddOverride(jsii.String("terraform.required_providers.kubernetes.source"), jsii.String("hashicorp/kubernetes"))
	return h, k8s
}
