// Package sts is the local cloud's AWS Security Token Service, on the
// awsQuery protocol: GetCallerIdentity answers for the local account
// (000000000000) whatever credentials signed the request. Any other action is
// refused with InvalidAction naming it.
package sts
