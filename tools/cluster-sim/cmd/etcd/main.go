// Command etcd is the etcd server: go.etcd.io/etcd/server/v3 has no importable main package,
// so this entry point calls the same function the upstream etcd binary does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
