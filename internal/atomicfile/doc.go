// Package atomicfile writes files under a temporary name in their final
// directory and renames them into place, so a reader (a resumed sweep, a
// merge, a person) never sees a partial file under the final name: a run
// killed part way leaves at most temporary files, named ".NAME.tmp-*".
package atomicfile
