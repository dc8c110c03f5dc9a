// Package store owns the local cloud's durable state: JSON documents, blobs
// and append-only logs under one directory, written so that a crash or a
// kill never leaves a half-written file behind.
//
// # Layout
//
// A [Store] is a directory. It holds collections, addressed by a path of
// names ("s3", "objects", "my-bucket"); each collection is a directory and
// each entry of a collection is one file named after its key:
//
//	<dir>/<collection path>/<escaped key>.json  a JSON document (Put, Get)
//	<dir>/<collection path>/<escaped key>.blob  opaque bytes (WriteBlob, OpenBlob)
//	<dir>/<collection path>/<escaped key>.log   JSON lines (Append, ReadLog)
//
// Keys are arbitrary strings (S3 keys with slashes, unicode, 1024 bytes):
// they are escaped into file names reversibly, and keys too long for a file
// name are stored under a hash with the real key kept inside the document.
//
// # Guarantees
//
//   - Documents and blobs are written to a temporary file in the same
//     directory and renamed over the target, so readers see the old or the
//     new content, never a mix. Temporary files left by a kill are removed
//     by [Open].
//   - Appends write whole lines under a per-file lock; [Collection.ReadLog]
//     skips a torn last line, so a kill during an append loses at most
//     that line.
//   - Files are not fsynced unless [Options.Sync] is set: the store survives
//     the process being killed, which is what a development cloud needs,
//     and stays fast; set Sync to survive power loss as well.
//   - A Store is safe for concurrent use. Two processes must not share a
//     directory: [Open] takes an advisory lock (on Unix) and fails with a
//     message naming the directory if another local cloud holds it.
//
// # Using it from a service
//
// Services keep their working set in memory and write through to the store
// on every change, reloading it when they are constructed. Load lazily what
// can be large (objects of a bucket, events of a log stream) so that the
// cloud starts fast whatever the size of its state.
package store
