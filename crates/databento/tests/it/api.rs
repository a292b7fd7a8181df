//! Every endpoint, schema and encoding against the fake server, checked against the
//! market the fake serves.

use deltaroll_core::contract::{FuturesSymbol, OptionSymbol};
use deltaroll_core::market::{MarketBuilder, MarketData, PriceSource, Provenance};
use deltaroll_core::product::ProductSpec;
use deltaroll_databento::decode::{decode_dbn, decompress_zstd, is_zstd, Decoded, Record};
use deltaroll_databento::ingest::Ingest;
use deltaroll_databento::{
    ApiError, Compression, Dataset, DateRange, Encoding, GetRange, SType, Schema, SymbologyResolve, Symbols,
    TextOptions,
};
use fake_databento::{synthetic_market, FakeConfig, COST_PER_RECORD};

use crate::{client, client_with_key, d, start};

fn range(schema: Schema, stype: SType, symbols: &[&str], dates: DateRange) -> GetRange {
    GetRange::new(Dataset::glbx_mdp3(), schema, stype, Symbols::new(symbols.iter().copied()).unwrap(), dates)
}

/// The market built from one chain day's definitions and prices in `encoding`.
fn market_from(defs: &Decoded, prices: &Decoded, source: PriceSource) -> MarketData {
    let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
    let mut ingest = Ingest::new();
    ingest.add_definitions(defs, &mut b);
    ingest.add_prices(prices, &mut b, source, Some(DateRange::day(d(2025, 1, 2))));
    b.build()
}

#[tokio::test]
async fn every_schema_and_encoding_decodes_to_the_served_market() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let truth = synthetic_market();
    let day = DateRange::day(d(2025, 1, 2));
    let hoh5 = FuturesSymbol::parse("HOH5", d(2025, 1, 2)).unwrap();
    let call = OptionSymbol::parse("OHH5 C24000", d(2025, 1, 2)).unwrap();
    let mut markets = Vec::new();
    let cases = [
        (Encoding::Dbn, false),
        (Encoding::Json, false),
        (Encoding::Json, true),
        (Encoding::Csv, false),
        (Encoding::Csv, true),
    ];
    // Every encoding both zstd-compressed (the default) and plain.
    for (encoding, pretty, compression) in
        cases.iter().flat_map(|&(e, p)| [Compression::Zstd, Compression::None].map(|c| (e, p, c)))
    {
        let with = |r: GetRange| {
            let r = GetRange { compression, ..r };
            if encoding == Encoding::Dbn {
                r
            } else {
                r.with_text_encoding(
                    encoding,
                    TextOptions { pretty_px: pretty, pretty_ts: pretty, map_symbols: pretty },
                )
            }
        };
        let symbols = ["HO.FUT", "OH.OPT"];
        let defs = api.get_range(&with(range(Schema::Definition, SType::Parent, &symbols, day))).await.unwrap();
        let settles =
            api.get_range(&with(range(Schema::Statistics, SType::Parent, &symbols, day.extend_end(1)))).await.unwrap();
        let bars = api.get_range(&with(range(Schema::Ohlcv1D, SType::Parent, &symbols, day))).await.unwrap();
        assert_eq!(
            defs.definitions().count(),
            11 + 46 * 3,
            "{encoding:?} {compression:?}: 11 futures and 3 months of options listed on Jan 2"
        );
        assert!(settles.ignored > 0, "open interest and preliminary records are skipped or replaced");
        let settled = market_from(&defs, &settles, PriceSource::Settlement);
        let closed = market_from(&defs, &bars, PriceSource::Close);
        for (m, src) in [(&settled, PriceSource::Settlement), (&closed, PriceSource::Close)] {
            assert_eq!(
                m.future_price(&hoh5, d(2025, 1, 2), src),
                truth.future_price(&hoh5, d(2025, 1, 2), src),
                "{encoding:?} {compression:?} {src}"
            );
        }
        assert_eq!(
            settled.option_price(&call, d(2025, 1, 2), PriceSource::Settlement),
            truth.option_price(&call, d(2025, 1, 2), PriceSource::Settlement),
            "the final settlement (next UTC day) wins over the preliminary one"
        );
        assert_eq!(settled.option(&call).unwrap().expiration, d(2025, 2, 25));
        assert_eq!(settled.option(&call).unwrap().strike.value(), 2.4);
        markets.push((encoding, pretty, settled.content_hash().to_owned(), closed.content_hash().to_owned()));
    }
    for m in &markets[1..] {
        assert_eq!((&m.2, &m.3), (&markets[0].2, &markets[0].3), "{:?} pretty={}", m.0, m.1);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn dbn_bodies_decode_with_the_official_crate_and_carry_mappings() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let req = range(
        Schema::Ohlcv1D,
        SType::RawSymbol,
        &["HOH5", "OHH5 C24000", "NOPE"],
        DateRange::new(d(2025, 1, 2), d(2025, 1, 9)).unwrap(),
    );
    // The body comes zstd-compressed (the default), and unpacks to exactly what
    // `compression=none` sends.
    let packed = api.get_range_bytes(&req).await.unwrap();
    assert!(is_zstd(&packed));
    let bytes = api.get_range_bytes(&GetRange { compression: Compression::None, ..req.clone() }).await.unwrap();
    assert!(bytes.starts_with(b"DBN"));
    assert_eq!(decompress_zstd(&packed, 1 << 30).unwrap(), bytes);
    assert!(packed.len() < bytes.len(), "{} packed, {} plain", packed.len(), bytes.len());
    let mut dec = dbn::decode::DbnDecoder::new(&bytes[..]).unwrap();
    let meta = dbn::decode::DbnMetadata::metadata(&dec).clone();
    assert_eq!(meta.schema, Some(dbn::Schema::Ohlcv1D));
    assert_eq!(meta.not_found, ["NOPE"]);
    assert_eq!(meta.mappings.len(), 2);
    let mut n = 0;
    while let Some(rec) = dbn::decode::DecodeRecordRef::decode_record_ref(&mut dec).unwrap() {
        assert!(rec.get::<dbn::OhlcvMsg>().is_some());
        n += 1;
    }
    let decoded = decode_dbn(&bytes).unwrap();
    assert_eq!(decoded.total, n);
    assert_eq!(decoded.mappings.len(), 2);
    // Prices resolve through the metadata mappings alone (no definitions fetched).
    let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
    let s = Ingest::new().add_prices(&decoded, &mut b, PriceSource::Close, None);
    assert_eq!(s.unresolved, 0);
    assert!(s.futures_prices >= 4 && s.option_prices >= 1, "{s:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn requests_arrive_exactly_as_built() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let req =
        range(Schema::Statistics, SType::RawSymbol, &["OHH5 C24000", "OHH5 C24500"], DateRange::day(d(2025, 1, 2)));
    api.get_range(&req).await.unwrap();
    let log = server.requests_to("/v0/timeseries.get_range");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].method, "POST");
    let form: Vec<(&str, &str)> = log[0].form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        form,
        [
            ("dataset", "GLBX.MDP3"),
            ("schema", "statistics"),
            ("encoding", "dbn"),
            ("compression", "zstd"),
            ("stype_in", "raw_symbol"),
            ("stype_out", "instrument_id"),
            ("symbols", "OHH5 C24000,OHH5 C24500"),
            ("start", "1735776000000000000"),
            ("end", "1735862400000000000"),
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn metadata_and_symbology() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let range_ = api.get_dataset_range(&Dataset::glbx_mdp3()).await.unwrap();
    assert_eq!(range_.start_date(), Some(d(2024, 9, 2)));
    assert_eq!(range_.end_for(Schema::Statistics), Some(d(2025, 7, 2)));

    let req = range(Schema::Ohlcv1D, SType::Parent, &["HO.FUT"], DateRange::new(d(2025, 1, 2), d(2025, 1, 9)).unwrap());
    let cost = api.get_cost(&req.cost()).await.unwrap();
    let records = api.get_range(&req).await.unwrap().total;
    assert!(records > 0);
    assert!((cost - records as f64 * COST_PER_RECORD).abs() < 1e-9, "{cost} for {records}");

    let res = api
        .resolve(&SymbologyResolve {
            dataset: Dataset::glbx_mdp3(),
            symbols: Symbols::new(["HOH5", "XYZ9"]).unwrap(),
            stype_in: SType::RawSymbol,
            stype_out: SType::InstrumentId,
            range: DateRange::new(d(2025, 1, 2), d(2025, 1, 9)).unwrap(),
        })
        .await
        .unwrap();
    assert_eq!(res.result["HOH5"].len(), 1);
    assert_eq!(res.not_found, ["XYZ9"]);
    server.shutdown().await;
}

#[tokio::test]
async fn server_refusals_are_typed() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let hourly = range(Schema::Ohlcv1H, SType::Parent, &["HO.FUT"], DateRange::day(d(2025, 1, 2)));
    match api.get_range(&hourly).await.unwrap_err() {
        ApiError::BadRequest { status: 422, case, detail, .. } => {
            assert_eq!(case.as_deref(), Some("schema_not_available"));
            assert!(detail.contains("not available in fake"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    let early = range(Schema::Ohlcv1D, SType::Parent, &["HO.FUT"], DateRange::day(d(2020, 1, 2)));
    let err = api.get_range(&early).await.unwrap_err();
    assert!(
        matches!(&err, ApiError::BadRequest { case: Some(c), .. } if c == "data_start_before_available_start"),
        "{err:?}"
    );
    assert!(err.to_string().contains("pick a later start date"), "{err}");
    // Raw symbols resolve by date, as Databento's symbology does: unknown ones, and an
    // expired contract (HOV4 last traded 2024-09-30) in 2025, resolve to nothing.
    for symbol in ["NOPE", "HOV4"] {
        let req = range(Schema::Statistics, SType::RawSymbol, &[symbol], DateRange::day(d(2025, 1, 2)));
        match api.get_cost(&req.cost()).await.unwrap_err() {
            ApiError::BadRequest { status: 422, case, detail, .. } => {
                assert_eq!(case.as_deref(), Some("symbology_invalid_request"), "{symbol}");
                assert_eq!(detail, "None of the symbols could be resolved");
            }
            other => panic!("{symbol}: {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 4, "4xx are not retried");

    let stranger = client_with_key(&server, "db-SOMEONEELSE000000000000000000");
    let err = stranger.get_range(&early).await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("SOMEONEELSE"));
    server.shutdown().await;
}

#[tokio::test]
async fn records_keep_body_order_and_kinds() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let req = range(Schema::Statistics, SType::Parent, &["HO.FUT"], DateRange::day(d(2025, 1, 2)))
        .with_text_encoding(Encoding::Csv, TextOptions { map_symbols: true, ..TextOptions::default() });
    let decoded = api.get_range(&req).await.unwrap();
    assert!(decoded.records.iter().all(|r| matches!(r, Record::Settlement(s) if s.symbol.is_some() && !s.is_final)));
    server.shutdown().await;
}

#[tokio::test]
async fn cors_headers_and_preflight_let_a_browser_call() {
    let server = start(FakeConfig::synthetic()).await;
    let http = reqwest::Client::new();
    let url = format!("{}/v0/timeseries.get_range", server.url());
    let pre = http
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status().as_u16(), 204);
    let h = pre.headers();
    assert_eq!(h["access-control-allow-origin"], "http://127.0.0.1:8080");
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
    assert!(h["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    // Errors carry the headers too, so the page can read them.
    let refused = http.post(&url).body("dataset=GLBX.MDP3").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(refused.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = serde_json::from_slice(&refused.bytes().await.unwrap()).unwrap();
    assert_eq!(body["detail"], "Authorization failed: bad key.");
    server.shutdown().await;
}

/// Phase 1 asks for futures by raw symbol in DBN: a one-digit year names a contract a
/// decade, and the metadata maps each to its own ids and dates, so the same prices come
/// out as from JSON with a symbol per record, final settlements of the last trading day
/// (received the next day) included.
#[tokio::test]
async fn futures_by_raw_symbol_in_dbn_name_each_decades_contract_as_json_does() {
    let server = start(FakeConfig::realistic()).await;
    let api = client(&server);
    let dates = DateRange::new(d(2014, 12, 1), d(2025, 3, 5)).unwrap();
    let old = FuturesSymbol::parse("HOH5", d(2015, 1, 2)).unwrap();
    let new = FuturesSymbol::parse("HOH5", d(2025, 1, 2)).unwrap();
    for (schema, source) in [(Schema::Ohlcv1D, PriceSource::Close), (Schema::Statistics, PriceSource::Settlement)] {
        let req = range(schema, SType::RawSymbol, &["HOH5"], dates);
        let market = |body: &Decoded| {
            let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
            let s = Ingest::new().add_prices(body, &mut b, source, None);
            assert_eq!(s.unresolved, 0, "{schema:?}");
            b.build()
        };
        let json = TextOptions { map_symbols: true, ..TextOptions::default() };
        let by_record = market(&api.get_range(&req.clone().with_text_encoding(Encoding::Json, json)).await.unwrap());
        for compression in [Compression::Zstd, Compression::None] {
            let body = api.get_range(&GetRange { compression, ..req.clone() }).await.unwrap();
            assert_eq!(body.mappings.len(), 2, "{schema:?} {compression:?}: one interval per decade's HOH5");
            let m = market(&body);
            assert_eq!(m.content_hash(), by_record.content_hash(), "{schema:?} {compression:?}");
            // HOH5 of 2015 last traded on 2015-02-27.
            for (future, day) in [(&old, d(2015, 2, 27)), (&new, d(2025, 2, 3))] {
                assert!(m.future_price(future, day, source).is_some(), "{schema:?} {compression:?} {future} {day}");
            }
        }
    }
    server.shutdown().await;
}
