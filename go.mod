module github.com/chokepoint-sim/chokepoint

go 1.26.8
