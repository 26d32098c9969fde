package sim_test

import (
	"fmt"

	"github.com/koiisim/koiisim/model"
	"github.com/koiisim/koiisim/sim"
)

// Example runs a small task from Go: 100 honest nodes and 5 faulty ones
// for 50 rounds, and prints what each class earned.
func Example() {
	cfg := model.DefaultConfig()
	faulty, _ := model.LookupKind("faulty")
	cfg.Populations = []model.Population{
		{Name: "honest", Count: 100, Stake: model.Fixed(10), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: "honest", Params: model.Params{}},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
		{Name: "faulty", Count: 5, Stake: model.Fixed(10), Balance: model.PerKOII,
			Behaviour:   model.BehaviourSpec{Kind: "faulty", Params: faulty.DefaultParams()},
			SubmitDelay: model.Uniform(0, 300), AuditDelay: model.Uniform(0, 599)},
	}
	res, err := sim.Run(&cfg, sim.Options{Seed: 1, Rounds: 50})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, class := range res.Classes {
		t := res.Totals[i]
		fmt.Printf("%s: %d valid, %d invalid, %d slashed, earned %s KOII, net %s KOII\n",
			class, t.Valid, t.Invalid, t.Slashed, t.Rewards, t.NetProfit())
	}
	fmt.Println("cycles paid:", res.PaidCycles, "unpaid:", res.UnpaidCycles)
	// Output:
	// honest: 5000 valid, 0 invalid, 0 slashed, earned 492.0703747 KOII, net 492.0203847 KOII
	// faulty: 81 valid, 9 invalid, 9 slashed, earned 7.929621081 KOII, net -35.471228919 KOII
	// cycles paid: 50 unpaid: 0
}
