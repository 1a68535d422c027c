package data

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketreplicationconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// s3ServicePrincipal is the service that assumes the replication role.
const s3ServicePrincipal = "s3.amazonaws.com"

// replicaStorageClass is the storage class of the replicas. The disaster-
// recovery copy is read only after a failover, and Standard-IA stores it
// for less than Standard while keeping reads immediate.
const replicaStorageClass = "STANDARD_IA"

// replicationTimeMinutes is the only threshold that S3 Replication Time
// Control and its replication metrics accept.
const replicationTimeMinutes = 15

// replicationRuleID names the single replication rule.
const replicationRuleID = "replicate-all-objects"

// Statement IDs of the replication role's policy.
const (
	sidReadSourceBucket   = "ReadReplicationConfiguration"
	sidReadSourceVersions = "ReadSourceObjectVersions"
	sidWriteReplicas      = "WriteReplicas"
	sidDecryptSource      = "DecryptSourceObjects"
	sidEncryptReplicas    = "EncryptReplicas"
)

// newReplication creates the replication role, its policy and the
// replication configuration of bucket, and returns the role's ARN.
//
// The rule replicates every object (an empty filter), including delete
// markers, so a deletion in the primary region shows in the replica as well
// while the replica keeps the older versions until its own lifecycle
// expires them. Objects encrypted with SSE-KMS are replicated only when
// sse_kms_encrypted_objects is enabled, and every object here is.
//
// The configuration waits for versioning, which S3 requires on the source,
// and for the role's policy, so that S3 never replicates with a role that
// cannot yet read or write.
//
// NOTE: no replication from this repository has run against AWS yet. The
// role's permissions follow the S3 user guide for replicating SSE-KMS
// objects: kms:Decrypt on the source key and kms:Encrypt on the destination
// key, each through S3 of its own region.
func newReplication(scope constructs.Construct, bucket s3bucket.S3Bucket, versioning s3bucketversioning.S3BucketVersioningA, cfg BucketConfig, arn string) *string {
	r := cfg.Replication
	name := replicationRoleName(cfg.Name)

	role := iamrole.NewIamRole(scope, jsii.String("replication_role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String(fmt.Sprintf("Replicates S3 bucket %s to %s.", cfg.Name, r.DestinationRegion)),
		AssumeRolePolicy: jsii.String(replicationTrustPolicy(cfg.AccountID).JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(name)},
	})

	policy := iamrolepolicy.NewIamRolePolicy(scope, jsii.String("replication_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(name),
		Role:   role.Name(),
		Policy: jsii.String(replicationPolicy(cfg, arn).JSON()),
	})

	destination := &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestination{
		Bucket:       r.DestinationBucketARN,
		StorageClass: jsii.String(replicaStorageClass),
		EncryptionConfiguration: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration{
			ReplicaKmsKeyId: r.DestinationKMSKeyARN,
		},
	}
	if r.TimeControl {
		// S3 requires replication metrics whenever Replication Time Control
		// is on.
		destination.ReplicationTime = &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationReplicationTime{
			Status: jsii.String("Enabled"),
			Time: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationReplicationTimeTime{
				Minutes: jsii.Number(replicationTimeMinutes),
			},
		}
		destination.Metrics = &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationMetrics{
			Status: jsii.String("Enabled"),
			EventThreshold: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationMetricsEventThreshold{
				Minutes: jsii.Number(replicationTimeMinutes),
			},
		}
	}

	s3bucketreplicationconfiguration.NewS3BucketReplicationConfigurationA(scope, jsii.String("replication"), &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationAConfig{
		Bucket: bucket.Id(),
		Role:   role.Arn(),
		Rule: []*s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRule{{
			Id:     jsii.String(replicationRuleID),
			Status: jsii.String("Enabled"),
			Filter: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleFilter{},
			DeleteMarkerReplication: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDeleteMarkerReplication{
				Status: jsii.String("Enabled"),
			},
			SourceSelectionCriteria: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleSourceSelectionCriteria{
				SseKmsEncryptedObjects: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects{
					Status: jsii.String("Enabled"),
				},
			},
			Destination: destination,
		}},
		DependsOn: &[]cdktf.ITerraformDependable{versioning, policy},
	})

	return role.Arn()
}

// replicationTrustPolicy lets S3 assume the role only for buckets of
// accountID, which keeps a bucket of another account from using the role as
// a confused deputy.
func replicationTrustPolicy(accountID string) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:        "S3Replication",
		Principal:  map[string][]string{"Service": {s3ServicePrincipal}},
		Actions:    []string{"sts:AssumeRole"},
		Conditions: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {accountID}}},
	}}}
}

// replicationPolicy returns the replication role's permissions: read the
// source bucket's replication configuration and object versions, write
// replicas into the destination bucket, and use each bucket's key only
// through S3 of that bucket's region. Every statement names its resources,
// and the destination values may be tokens.
func replicationPolicy(cfg BucketConfig, arn string) iampolicy.Document {
	r := cfg.Replication
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       sidReadSourceBucket,
			Actions:   []string{"s3:GetReplicationConfiguration", "s3:ListBucket"},
			Resources: []string{arn},
		},
		{
			Sid:       sidReadSourceVersions,
			Actions:   []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"},
			Resources: []string{arn + "/*"},
		},
		{
			Sid:       sidWriteReplicas,
			Actions:   []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"},
			Resources: []string{*r.DestinationBucketARN + "/*"},
		},
		{
			Sid:        sidDecryptSource,
			Actions:    []string{"kms:Decrypt"},
			Resources:  []string{*cfg.KMSKeyARN},
			Conditions: viaS3(cfg.Region),
		},
		{
			Sid:        sidEncryptReplicas,
			Actions:    []string{"kms:Encrypt"},
			Resources:  []string{*r.DestinationKMSKeyARN},
			Conditions: viaS3(r.DestinationRegion),
		},
	}}
}

// viaS3 limits a KMS permission to requests that S3 of region makes on the
// role's behalf.
func viaS3(region string) map[string]map[string][]string {
	return map[string]map[string][]string{
		"StringEquals": {"kms:ViaService": {fmt.Sprintf("s3.%s.amazonaws.com", region)}},
	}
}
