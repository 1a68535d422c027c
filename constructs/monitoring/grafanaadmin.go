package monitoring

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssecretsmanagerrandompassword"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

const (
	// grafanaAdminSecret names both the Secrets Manager secret (after
	// SecretsPrefix) and the Kubernetes Secret that External Secrets creates
	// from it.
	grafanaAdminSecret = "grafana-admin"

	// grafanaAdminUser is the login of Grafana's built-in administrator.
	grafanaAdminUser = "admin"

	// The keys of the secret's JSON value and of the Kubernetes Secret. They
	// are the grafana chart's default userKey and passwordKey.
	grafanaAdminUserKey     = "admin-user"
	grafanaAdminPasswordKey = "admin-password"

	grafanaAdminPasswordLength = 32

	// secretRecoveryWindowDays is how long a deleted secret can be restored.
	secretRecoveryWindowDays = 30

	// secretStoreName is the SecretStore in the monitoring namespace.
	secretStoreName = "aws-secrets-manager"

	// externalSecretsAPIVersion is the API version of SecretStore and
	// ExternalSecret. External Secrets serves v1 since 0.16 and stopped
	// serving v1beta1 in 0.17, so the hosting layer's chart 2.10.0 serves v1
	// only.
	externalSecretsAPIVersion = "external-secrets.io/v1"

	// secretRefreshInterval is how often External Secrets copies the secret
	// again, so a password rotated in Secrets Manager reaches Grafana's
	// Secret within this time.
	secretRefreshInterval = "1h"
)

// urlUnsafeCharacters are the ASCII punctuation characters outside the
// unreserved set of RFC 3986 ("-", ".", "_", "~"). A password without them
// can be pasted into a URL with basic auth or a query string as it is. The
// order keeps "$" and "%" away from "{", which Terraform would read as the
// start of an interpolation or a directive.
const urlUnsafeCharacters = "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}"

// grafanaAdmin is the Grafana administrator's secret in Secrets Manager.
type grafanaAdmin struct {
	secret  secretsmanagersecret.SecretsmanagerSecret
	version secretsmanagersecretversion.SecretsmanagerSecretVersion

	// name is the secret's literal name, which the ExternalSecret refers to.
	name string
}

// newGrafanaAdmin creates the secret that contains Grafana's administrator
// credentials, with a generated password.
//
// The aws_secretsmanager_random_password data source calls
// GetRandomPassword on every plan and returns a new password each time.
// Ignoring changes to secret_string keeps the value written by the first
// apply, so the password is generated once and never rotated by a plan. To
// rotate it, put a new value into Secrets Manager; Terraform leaves it
// alone and External Secrets copies it within secretRefreshInterval.
func newGrafanaAdmin(scope constructs.Construct, cfg Config) grafanaAdmin {
	name := cfg.SecretsPrefix + grafanaAdminSecret

	secret := secretsmanagersecret.NewSecretsmanagerSecret(scope, jsii.String("grafana_admin_secret"), &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:                 jsii.String(name),
		Description:          jsii.String(fmt.Sprintf("Grafana administrator credentials of %s, copied into the cluster by External Secrets", cfg.Name)),
		KmsKeyId:             cfg.SecretsKMSKeyARN,
		RecoveryWindowInDays: jsii.Number(secretRecoveryWindowDays),
		Tags:                 &map[string]*string{"Name": jsii.String(name)},
		Lifecycle:            &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	password := dataawssecretsmanagerrandompassword.NewDataAwsSecretsmanagerRandomPassword(scope, jsii.String("grafana_admin_password"), &dataawssecretsmanagerrandompassword.DataAwsSecretsmanagerRandomPasswordConfig{
		PasswordLength:          jsii.Number(grafanaAdminPasswordLength),
		ExcludeCharacters:       jsii.String(urlUnsafeCharacters),
		IncludeSpace:            jsii.Bool(false),
		RequireEachIncludedType: jsii.Bool(true),
	})

	version := secretsmanagersecretversion.NewSecretsmanagerSecretVersion(scope, jsii.String("grafana_admin_secret_version"), &secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
		SecretId: secret.Id(),
		SecretString: cdktf.Fn_Jsonencode(map[string]any{
			grafanaAdminUserKey:     grafanaAdminUser,
			grafanaAdminPasswordKey: password.RandomPassword(),
		}),
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: jsii.Strings("secret_string")},
	})

	return grafanaAdmin{secret: secret, version: version, name: name}
}

// objectMeta is the metadata of a Kubernetes object.
type objectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// secretStore is an External Secrets SecretStore.
type secretStore struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   objectMeta      `json:"metadata"`
	Spec       secretStoreSpec `json:"spec"`
}

type secretStoreSpec struct {
	Provider secretStoreProvider `json:"provider"`
}

type secretStoreProvider struct {
	AWS awsSecretStoreProvider `json:"aws"`
}

// awsSecretStoreProvider has no auth block: External Secrets then calls AWS
// with its controller's credentials, which EKS Pod Identity provides.
type awsSecretStoreProvider struct {
	Service string `json:"service"`
	Region  string `json:"region"`
}

// externalSecret is an External Secrets ExternalSecret.
type externalSecret struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Metadata   objectMeta         `json:"metadata"`
	Spec       externalSecretSpec `json:"spec"`
}

type externalSecretSpec struct {
	RefreshInterval string               `json:"refreshInterval"`
	SecretStoreRef  secretStoreRef       `json:"secretStoreRef"`
	Target          externalSecretTarget `json:"target"`
	Data            []externalSecretData `json:"data"`
}

type secretStoreRef struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// externalSecretTarget is the Kubernetes Secret to create. With the Owner
// policy the ExternalSecret owns it, so deleting the ExternalSecret deletes
// the Secret.
type externalSecretTarget struct {
	Name           string `json:"name"`
	CreationPolicy string `json:"creationPolicy"`
}

// externalSecretData copies one property of the JSON secret into one key of
// the Kubernetes Secret.
type externalSecretData struct {
	SecretKey string    `json:"secretKey"`
	RemoteRef remoteRef `json:"remoteRef"`
}

type remoteRef struct {
	Key      string `json:"key"`
	Property string `json:"property"`
}

// grafanaAdminManifests returns the SecretStore that reads Secrets Manager
// in the cluster's region and the ExternalSecret that creates the
// Kubernetes Secret Grafana reads its administrator from. The
// ExternalSecret names the secret, because the External Secrets role may
// not list secrets.
func grafanaAdminManifests(cfg Config, secretName string) []any {
	store := secretStore{
		APIVersion: externalSecretsAPIVersion,
		Kind:       "SecretStore",
		Metadata:   objectMeta{Name: secretStoreName, Namespace: Namespace},
		Spec: secretStoreSpec{Provider: secretStoreProvider{AWS: awsSecretStoreProvider{
			Service: "SecretsManager",
			Region:  cfg.Cluster.Region,
		}}},
	}

	data := make([]externalSecretData, 0, 2)
	for _, key := range []string{grafanaAdminUserKey, grafanaAdminPasswordKey} {
		data = append(data, externalSecretData{SecretKey: key, RemoteRef: remoteRef{Key: secretName, Property: key}})
	}
	external := externalSecret{
		APIVersion: externalSecretsAPIVersion,
		Kind:       "ExternalSecret",
		Metadata:   objectMeta{Name: grafanaAdminSecret, Namespace: Namespace},
		Spec: externalSecretSpec{
			RefreshInterval: secretRefreshInterval,
			SecretStoreRef:  secretStoreRef{Name: secretStoreName, Kind: "SecretStore"},
			Target:          externalSecretTarget{Name: grafanaAdminSecret, CreationPolicy: "Owner"},
			Data:            data,
		},
	}
	return []any{store, external}
}
