package redistest

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStart_Restart_Stop(t *testing.T) {
	s := Start(t)
	_, err := Do(s.Addr(), "SET", "k", "v")
	require.NoError(t, err)
	got, err := Do(s.Addr(), "GET", "k")
	require.NoError(t, err)
	require.Equal(t, "v", got)

	port := s.Port()
	s.Restart(t)
	require.Equal(t, port, s.Port())
	reply, err := Do(s.Addr(), "PING")
	require.NoError(t, err)
	require.Equal(t, "PONG", reply)
	got, err = Do(s.Addr(), "EXISTS", "k")
	require.NoError(t, err)
	require.Equal(t, "0", got, "no persistence: a restarted server is empty")

	s.Stop()
	_, err = Do(s.Addr(), "PING")
	require.Error(t, err)
	s.Stop() // idempotent
}

func TestStartCluster(t *testing.T) {
	s := StartCluster(t)
	info, err := Do(s.Addr(), "CLUSTER", "INFO")
	require.NoError(t, err)
	require.Contains(t, info, "cluster_slots_assigned:16384")
	_, err = Do(s.Addr(), "MSET", "a", "1", "b", "2")
	require.ErrorContains(t, err, "CROSSSLOT")
	require.Equal(t, "redis+cluster://"+s.Addr(), s.URL())
}

func TestStartSentinel(t *testing.T) {
	m := Start(t)
	s := StartSentinel(t, m, "mymaster")
	addr, err := Do(s.Addr(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1\n"+strconv.Itoa(m.Port()), addr)
	require.Equal(t, "redis+sentinel://"+s.Addr()+"?master=mymaster", s.URL())
}
