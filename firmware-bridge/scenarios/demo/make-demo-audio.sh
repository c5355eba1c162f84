#!/bin/sh
# Regenerates the demo's Finnish speech clips (8 kHz G.711 A-law, raw, as the card delivers it).
# Needs espeak-ng and sox; the clips are committed so the demo itself needs neither.
set -eu
cd "$(dirname "$0")"
say() {
  espeak-ng -v fi -s 150 -w "$1.wav" "$2"
  sox "$1.wav" -r 8000 -c 1 -e a-law -b 8 -t raw "$1.alaw"
  rm -f "$1.wav"
}
say jasenmaksu "Hyvää päivää, soitan jäsenmaksusta. Laskussani on eräpäivä ensi viikolla, ja haluaisin tietää, voinko maksaa sen kahdessa erässä."
say ansiopaivaraha "Hei, olen jäänyt työttömäksi ja haluaisin hakea ansiopäivärahaa. Mitä liitteitä hakemukseen tarvitaan, ja kuinka kauan käsittely kestää?"
say maksupaiva "Päivää. Milloin seuraava päivärahan maksupäivä on? En ole vielä saanut rahoja tililleni."
say yhteistyo "Hei, soitan yhteistyökumppanin puolesta. Tarvitsisimme tiedon jäsenmäärästä raporttia varten."
