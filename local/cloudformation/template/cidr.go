package template

import (
	"fmt"
	"math/big"
	"net/netip"
)

// cidr implements Fn::Cidr: count consecutive subnets of ipBlock, each with
// cidrBits host bits (so a /24 for cidrBits 8 in IPv4).
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-cidr.html
func cidr(block string, count, cidrBits int) ([]string, error) {
	p, err := netip.ParsePrefix(block)
	if err != nil {
		return nil, fmt.Errorf("ipBlock %q is not a CIDR block", block)
	}
	p = p.Masked()
	total := p.Addr().BitLen()
	newLen := total - cidrBits
	if cidrBits < 0 || newLen < p.Bits() {
		return nil, fmt.Errorf("cidrBits %d does not fit in %s", cidrBits, block)
	}
	if count < 1 || count > 256 {
		return nil, fmt.Errorf("count %d must be between 1 and 256", count)
	}
	if avail := newLen - p.Bits(); avail < 9 && count > 1<<avail {
		return nil, fmt.Errorf("%s holds only %d subnets of /%d, not %d", block, 1<<avail, newLen, count)
	}
	base := new(big.Int).SetBytes(p.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(cidrBits))
	out := make([]string, 0, count)
	for i := 0; i < count; i++ {
		n := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := make([]byte, total/8)
		n.FillBytes(buf)
		addr, _ := netip.AddrFromSlice(buf)
		out = append(out, netip.PrefixFrom(addr, newLen).String())
	}
	return out, nil
}
