package monitoring

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestGrafanaAdminSecret(t *testing.T) {
	doc := synthConfig(t, testConfig())

	secret := doc.Resource(t, "aws_secretsmanager_secret", "monitoring_grafana_admin_secret")
	assert.Equal(t, "prod/usw2/grafana-admin", secret["name"], "the secret sits under the prefix External Secrets may read")
	assert.Equal(t, testSecretsKey, secret["kms_key_id"])
	assert.Equal(t, float64(30), secret["recovery_window_in_days"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, secret["lifecycle"])

	passwords := doc.DataSources("aws_secretsmanager_random_password")
	require.Contains(t, passwords, "monitoring_grafana_admin_password")
	password := passwords["monitoring_grafana_admin_password"]
	assert.Equal(t, float64(32), password["password_length"])
	assert.Equal(t, false, password["include_space"])
	assert.Equal(t, true, password["require_each_included_type"])
	excluded, _ := password["exclude_characters"].(string)
	for _, c := range []string{":", "/", "?", "#", "@", "%", "&", "=", "+", "\"", "'", "\\"} {
		assert.Containsf(t, excluded, c, "%q breaks URLs", c)
	}
	for _, c := range []string{"-", ".", "_", "~"} {
		assert.NotContainsf(t, excluded, c, "%q is unreserved in URLs and may stay", c)
	}
	assert.NotContains(t, excluded, "${", "Terraform would read it as an interpolation")
	assert.NotContains(t, excluded, "%{", "Terraform would read it as a directive")

	version := doc.Resource(t, "aws_secretsmanager_secret_version", "monitoring_grafana_admin_secret_version")
	assert.Equal(t, "${aws_secretsmanager_secret.monitoring_grafana_admin_secret.id}", version["secret_id"])
	assert.Equal(t, map[string]any{"ignore_changes": []any{"secret_string"}}, version["lifecycle"],
		"the data source returns a new password on every plan; only the first apply may write it")
	value, _ := version["secret_string"].(string)
	assert.True(t, strings.HasPrefix(value, "${jsonencode("), "the value is JSON built by Terraform: %s", value)
	assert.Contains(t, value, `"admin-user" = "admin"`)
	assert.Contains(t, value, `"admin-password" = data.aws_secretsmanager_random_password.monitoring_grafana_admin_password.random_password`)
}

func TestBaseReleaseManifests(t *testing.T) {
	doc := synthConfig(t, testConfig())

	release := doc.Resource(t, "helm_release", "monitoring_base_release")
	assert.Equal(t, "monitoring-base", release["name"])
	assert.Equal(t, "kube-system", release["namespace"], "the record cannot live in the namespace the release creates")
	assert.Nil(t, release["create_namespace"])
	assert.Contains(t, stringList(t, release["depends_on"]), "aws_secretsmanager_secret_version.monitoring_grafana_admin_secret_version",
		"External Secrets must find a value when it first syncs")

	manifests, ok := synthtest.HelmValues(t, release)["manifests"].([]any)
	require.True(t, ok, "values have a manifests list")
	byKind := map[string]map[string]any{}
	for _, m := range manifests {
		object := m.(map[string]any)
		byKind[object["kind"].(string)] = object
	}
	require.Len(t, byKind, 3)

	namespace := byKind["Namespace"]
	require.NotNil(t, namespace)
	assert.Equal(t, "v1", namespace["apiVersion"])
	assert.Equal(t, "monitoring", synthtest.ValueAt(namespace, "metadata.name"))
	assert.Equal(t, map[string]any{"pod-security.kubernetes.io/enforce": "privileged"}, synthtest.ValueAt(namespace, "metadata.labels"))
	annotations, _ := synthtest.ValueAt(namespace, "metadata.annotations").(map[string]any)
	assert.Equal(t, "keep", annotations["helm.sh/resource-policy"], "uninstalling the release keeps the namespace and its volumes")

	store := byKind["SecretStore"]
	require.NotNil(t, store)
	assert.Equal(t, "external-secrets.io/v1", store["apiVersion"], "the pinned External Secrets chart serves v1 only")
	assert.Equal(t, "aws-secrets-manager", synthtest.ValueAt(store, "metadata.name"))
	assert.Equal(t, "monitoring", synthtest.ValueAt(store, "metadata.namespace"))
	assert.Equal(t, map[string]any{"service": "SecretsManager", "region": "us-west-2"}, synthtest.ValueAt(store, "spec.provider.aws"),
		"no auth block: the controller's Pod Identity credentials are used")

	external := byKind["ExternalSecret"]
	require.NotNil(t, external)
	assert.Equal(t, "external-secrets.io/v1", external["apiVersion"])
	assert.Equal(t, "grafana-admin", synthtest.ValueAt(external, "metadata.name"))
	assert.Equal(t, "monitoring", synthtest.ValueAt(external, "metadata.namespace"))
	assert.Equal(t, map[string]any{"name": "aws-secrets-manager", "kind": "SecretStore"}, synthtest.ValueAt(external, "spec.secretStoreRef"))
	assert.Equal(t, map[string]any{"name": "grafana-admin", "creationPolicy": "Owner"}, synthtest.ValueAt(external, "spec.target"))
	assert.Equal(t, []any{
		map[string]any{"secretKey": "admin-user", "remoteRef": map[string]any{"key": "prod/usw2/grafana-admin", "property": "admin-user"}},
		map[string]any{"secretKey": "admin-password", "remoteRef": map[string]any{"key": "prod/usw2/grafana-admin", "property": "admin-password"}},
	}, synthtest.ValueAt(external, "spec.data"))
}
