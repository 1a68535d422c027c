package audit

import (
	"fmt"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// Principals of the key and bucket policies.
const (
	cloudTrailService = "cloudtrail.amazonaws.com"
	s3LoggingService  = "logging.s3.amazonaws.com"
)

// Statement IDs of the key and bucket policies.
const (
	sidKeyAdministration     = "KeyAdministration"
	sidCloudTrailEncrypt     = "CloudTrailEncryptLogFiles"
	sidCloudTrailDescribe    = "CloudTrailDescribeKey"
	sidDecryptLogFiles       = "AccountPrincipalsDecryptLogFiles"
	sidCloudTrailACLCheck    = "CloudTrailGetBucketAcl"
	sidCloudTrailWrite       = "CloudTrailWriteLogFiles"
	sidAccessLogDelivery     = "S3ServerAccessLogDelivery"
	sidDenyInsecureTransport = "DenyInsecureTransport"
)

// keyAdminActions manage the key and include no use action, listed one by
// one so that no wildcard also matches a use action such as
// kms:CreateGrant. kms:PutKeyPolicy still lets an administrator grant
// itself kms:Decrypt. It stays because Terraform sets the key policy as the
// deploy role.
var keyAdminActions = []string{
	"kms:CancelKeyDeletion",
	"kms:CreateAlias",
	"kms:DeleteAlias",
	"kms:DescribeKey",
	"kms:DisableKey",
	"kms:DisableKeyRotation",
	"kms:EnableKey",
	"kms:EnableKeyRotation",
	"kms:GetKeyPolicy",
	"kms:GetKeyRotationStatus",
	"kms:ListGrants",
	"kms:ListKeyPolicies",
	"kms:ListKeyRotations",
	"kms:ListResourceTags",
	"kms:PutKeyPolicy",
	"kms:RevokeGrant",
	"kms:RotateKeyOnDemand",
	"kms:ScheduleKeyDeletion",
	"kms:TagResource",
	"kms:UntagResource",
	"kms:UpdateAlias",
	"kms:UpdateKeyDescription",
}

// keyPolicy returns the trail key's policy. In a key policy, Resource "*"
// means the key the policy is attached to.
//
// CloudTrail may generate data keys only with the encryption context of a
// trail of this account, and only on behalf of trailARN. Principals of the
// account may decrypt only objects that carry that context, so the key
// cannot serve as a general-purpose key, and a reader still needs an IAM
// policy that allows kms:Decrypt on the key. The account root is among the
// administrators so that IAM policies can grant key administration as
// well.
func keyPolicy(cfg TrailConfig, trailARN string) iampolicy.Document {
	root := fmt.Sprintf("arn:%s:iam::%s:root", cfg.Partition, cfg.AccountID)
	accountTrails := fmt.Sprintf("arn:%s:cloudtrail:*:%s:trail/*", cfg.Partition, cfg.AccountID)
	fromTrail := map[string][]string{"aws:SourceArn": {trailARN}}

	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       sidKeyAdministration,
			Principal: map[string][]string{"AWS": uniqueStrings(append([]string{root}, cfg.KMSKeyAdminRoleARNs...))},
			Actions:   keyAdminActions,
			Resources: []string{"*"},
		},
		{
			// The action is the one the CloudTrail User Guide names. The
			// conditions keep it to log files of this trail.
			Sid:       sidCloudTrailEncrypt,
			Principal: map[string][]string{"Service": {cloudTrailService}},
			Actions:   []string{"kms:GenerateDataKey*"},
			Resources: []string{"*"},
			Conditions: map[string]map[string][]string{
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": {accountTrails}},
				"StringEquals": fromTrail,
			},
		},
		{
			Sid:        sidCloudTrailDescribe,
			Principal:  map[string][]string{"Service": {cloudTrailService}},
			Actions:    []string{"kms:DescribeKey"},
			Resources:  []string{"*"},
			Conditions: map[string]map[string][]string{"StringEquals": fromTrail},
		},
		{
			Sid:       sidDecryptLogFiles,
			Principal: map[string][]string{"AWS": {root}},
			Actions:   []string{"kms:Decrypt"},
			Resources: []string{"*"},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"kms:CallerAccount": {cfg.AccountID}},
				"Null":         {"kms:EncryptionContext:aws:cloudtrail:arn": {"false"}},
			},
		},
	}}
}

// trailBucketPolicy returns the policy of the bucket that receives the log
// files. CloudTrail may read the bucket ACL and write objects under
// AWSLogs/<account>/ only for trailARN, and must hand the objects to the
// bucket owner. Every request without TLS is denied.
func trailBucketPolicy(partition, bucket, accountID, trailARN string) iampolicy.Document {
	bucketARN := fmt.Sprintf("arn:%s:s3:::%s", partition, bucket)
	cloudTrail := map[string][]string{"Service": {cloudTrailService}}

	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:        sidCloudTrailACLCheck,
			Principal:  cloudTrail,
			Actions:    []string{"s3:GetBucketAcl"},
			Resources:  []string{bucketARN},
			Conditions: map[string]map[string][]string{"StringEquals": {"aws:SourceArn": {trailARN}}},
		},
		{
			Sid:       sidCloudTrailWrite,
			Principal: cloudTrail,
			Actions:   []string{"s3:PutObject"},
			Resources: []string{fmt.Sprintf("%s/AWSLogs/%s/*", bucketARN, accountID)},
			Conditions: map[string]map[string][]string{"StringEquals": {
				"s3:x-amz-acl":  {"bucket-owner-full-control"},
				"aws:SourceArn": {trailARN},
			}},
		},
		denyInsecureTransport(bucketARN),
	}}
}

// accessLogBucketPolicy returns the policy of the access log bucket. S3 log
// delivery may write objects under the source bucket's prefix only for that
// bucket of this account. Every request without TLS is denied.
func accessLogBucketPolicy(partition, bucket, sourceBucket, accountID string) iampolicy.Document {
	bucketARN := fmt.Sprintf("arn:%s:s3:::%s", partition, bucket)

	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       sidAccessLogDelivery,
			Principal: map[string][]string{"Service": {s3LoggingService}},
			Actions:   []string{"s3:PutObject"},
			Resources: []string{bucketARN + "/" + accessLogPrefix(sourceBucket) + "*"},
			Conditions: map[string]map[string][]string{
				"ArnEquals":    {"aws:SourceArn": {fmt.Sprintf("arn:%s:s3:::%s", partition, sourceBucket)}},
				"StringEquals": {"aws:SourceAccount": {accountID}},
			},
		},
		denyInsecureTransport(bucketARN),
	}}
}

// denyInsecureTransport denies every request to the bucket and its objects
// that does not use TLS.
func denyInsecureTransport(bucketARN string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:        sidDenyInsecureTransport,
		Effect:     "Deny",
		Principal:  map[string][]string{"AWS": {"*"}},
		Actions:    []string{"s3:*"},
		Resources:  []string{bucketARN, bucketARN + "/*"},
		Conditions: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
	}
}

// uniqueStrings returns values without repeats, in first-seen order.
func uniqueStrings(values []string) []string {
	seen := make(map[string]bool, len(values))
	unique := make([]string, 0, len(values))
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			unique = append(unique, v)
		}
	}
	return unique
}
