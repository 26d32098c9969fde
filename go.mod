module github.com/koiisim/koiisim

go 1.26.8
