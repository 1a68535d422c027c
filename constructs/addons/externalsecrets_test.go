package addons

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const testKeyARN = "arn:aws:kms:us-west-2:100000000004:key/0a1b2c3d-0000-4000-8000-000000000001"

func TestExternalSecrets(t *testing.T) {
	stack := synthtest.Stack(t)
	NewExternalSecrets(stack, "external_secrets", ExternalSecretsConfig{
		Cluster:          testCluster(),
		SecretsPrefix:    "prod/usw2/",
		SecretsKMSKeyARN: jsii.String(testKeyARN),
	})
	doc := synthtest.Synth(t, stack)

	release := doc.Resource(t, "helm_release", "external_secrets_release")
	assertRelease(t, release, "external-secrets", "external-secrets", "https://charts.external-secrets.io", "external-secrets", "2.10.0")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, true, values["installCRDs"])
	assert.Equal(t, "external-secrets", synthtest.ValueAt(values, "serviceAccount.name"))
	assert.Equal(t, float64(2), values["replicaCount"])
	assert.Equal(t, true, values["leaderElect"], "two replicas need leader election")
	assert.Equal(t, float64(2), synthtest.ValueAt(values, "webhook.replicaCount"))
	for _, component := range []string{"", "webhook.", "certController."} {
		assertTolerates(t, synthtest.ValueAt(values, component+"tolerations"), "external-secrets "+component)
	}

	assertAssociation(t, doc, "external_secrets", "external-secrets", "external-secrets")
}

func TestExternalSecretsPolicyIsScoped(t *testing.T) {
	stack := synthtest.Stack(t)
	key := kmskey.NewKmsKey(stack, jsii.String("secrets_key"), &kmskey.KmsKeyConfig{})
	NewExternalSecrets(stack, "external_secrets", ExternalSecretsConfig{
		Cluster:          testCluster(),
		SecretsPrefix:    "prod/usw2/",
		SecretsKMSKeyARN: key.Arn(),
	})
	statements := policyStatements(t, synthtest.Synth(t, stack), "external_secrets_pod_identity_policy")

	assertLeastPrivilege(t, statements, nil)
	assert.Len(t, statements, 2)

	read := statements["ReadSecretsUnderPrefix"]
	require.NotNil(t, read)
	assert.ElementsMatch(t, []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"}, stringList(t, read["Action"]))
	assert.Equal(t, []string{"arn:aws:secretsmanager:us-west-2:100000000004:secret:prod/usw2/*"}, stringList(t, read["Resource"]))

	decrypt := statements["DecryptSecretsUnderPrefix"]
	require.NotNil(t, decrypt)
	assert.Equal(t, []string{"kms:Decrypt"}, stringList(t, decrypt["Action"]))
	assert.Equal(t, []string{"${aws_kms_key.secrets_key.arn}"}, stringList(t, decrypt["Resource"]))
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"kms:ViaService": []any{"secretsmanager.us-west-2.amazonaws.com"}},
		"StringLike":   map[string]any{"kms:EncryptionContext:SecretARN": []any{"arn:aws:secretsmanager:us-west-2:100000000004:secret:prod/usw2/*"}},
	}, decrypt["Condition"])
}

func TestExternalSecretsValidate(t *testing.T) {
	valid := func() ExternalSecretsConfig {
		return ExternalSecretsConfig{Cluster: testCluster(), SecretsPrefix: "prod/usw2/", SecretsKMSKeyARN: jsii.String(testKeyARN)}
	}
	cases := []struct {
		name   string
		mutate func(*ExternalSecretsConfig)
		want   string
	}{
		{"empty prefix", func(c *ExternalSecretsConfig) { c.SecretsPrefix = "" }, "SecretsPrefix is empty"},
		{"prefix without trailing slash", func(c *ExternalSecretsConfig) { c.SecretsPrefix = "prod/usw2" }, `"prod/usw2" does not end with "/"`},
		{"wildcard prefix", func(c *ExternalSecretsConfig) { c.SecretsPrefix = "prod/*/" }, `"prod/*/" contains characters`},
		{"missing key", func(c *ExternalSecretsConfig) { c.SecretsKMSKeyARN = nil }, "SecretsKMSKeyARN is missing"},
		{"alias instead of key", func(c *ExternalSecretsConfig) {
			c.SecretsKMSKeyARN = jsii.String("arn:aws:kms:us-west-2:100000000004:alias/secrets")
		}, "is not a KMS key ARN"},
		{"unpinned version", func(c *ExternalSecretsConfig) { c.ChartVersion = "2.x" }, `"2.x" is not an exact chart version`},
		{"missing cluster region", func(c *ExternalSecretsConfig) { c.Cluster.Region = "" }, "ExternalSecretsConfig.Cluster.Region"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := valid()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, valid().withDefaults().Validate())
}

func TestExternalSecretsSharedSecrets(t *testing.T) {
	stack := synthtest.Stack(t)
	NewExternalSecrets(stack, "external_secrets", ExternalSecretsConfig{
		Cluster:          testCluster(),
		SecretsPrefix:    "prod/usw2/",
		SecretsKMSKeyARN: jsii.String(testKeyARN),
		Shared: &SharedSecrets{
			AccountID:  "100000000001",
			Region:     "us-west-2",
			Prefix:     "platform/",
			Namespaces: []string{"argocd", "monitoring"},
		},
	})
	doc := synthtest.Synth(t, stack)
	statements := policyStatements(t, doc, "external_secrets_pod_identity_policy")

	read := statements["ReadSharedSecrets"]
	require.NotNil(t, read)
	assert.Equal(t, []string{"arn:aws:secretsmanager:us-west-2:100000000001:secret:platform/*"}, stringList(t, read["Resource"]))
	decrypt := statements["DecryptSharedSecrets"]
	require.NotNil(t, decrypt)
	assert.Equal(t, []string{"arn:aws:kms:us-west-2:100000000001:key/*"}, stringList(t, decrypt["Resource"]))
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"kms:ViaService": []any{"secretsmanager.us-west-2.amazonaws.com"}},
		"StringLike":   map[string]any{"kms:EncryptionContext:SecretARN": []any{"arn:aws:secretsmanager:us-west-2:100000000001:secret:platform/*"}},
	}, decrypt["Condition"], "the key wildcard is limited to the shared secrets by the encryption context")

	store := doc.Resource(t, "helm_release", "external_secrets_shared_store_release")
	values := synthtest.HelmValues(t, store)
	manifest := values["manifests"].([]any)[0].(map[string]any)
	assert.Equal(t, "ClusterSecretStore", manifest["kind"])
	assert.Equal(t, []any{map[string]any{"namespaces": []any{"argocd", "monitoring"}}}, synthtest.ValueAt(manifest, "spec.conditions"),
		"tenants cannot read the platform's shared secrets")
	assert.Equal(t, "us-west-2", synthtest.ValueAt(manifest, "spec.provider.aws.region"))
}

func TestExternalSecretsSharedValidate(t *testing.T) {
	cfg := ExternalSecretsConfig{
		Cluster:          testCluster(),
		SecretsPrefix:    "prod/usw2/",
		SecretsKMSKeyARN: jsii.String(testKeyARN),
		Shared:           &SharedSecrets{AccountID: "1", Region: "us-west-2", Prefix: "platform", Namespaces: nil},
	}
	err := cfg.withDefaults().Validate()
	assert.ErrorContains(t, err, "Shared.AccountID")
	assert.ErrorContains(t, err, `Shared.Prefix: "platform" is not a secret path ending in "/"`)
	assert.ErrorContains(t, err, "Shared.Namespaces is empty")
}
