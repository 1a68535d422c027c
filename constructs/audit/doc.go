// Package audit creates the account's CloudTrail trail and the encrypted,
// access-logged S3 bucket that keeps its log files.
//
// NewTrail builds its own KMS key instead of using package kms. The trail
// key's policy admits the CloudTrail service principal only for this
// account's trails and lets readers decrypt only objects that carry the
// CloudTrail encryption context, and no kms.Purpose describes that.
package audit
