// The strings of the calls search (date presets, duration, filter links) and the player's controls.
export const fi = {
  'search.from': 'Alkaen', 'search.to': 'Päättyen', 'search.dateHelp': 'Päivä muodossa 29.11.2026, kellonaika halutessa: 29.11.2026 9.30. Ajat ovat Suomen aikaa.',
  'search.presets': 'Aikarajaus', 'search.today': 'Tänään', 'search.yesterday': 'Eilen', 'search.week': '7 päivää',
  'search.minDuration': 'Kesto vähintään', 'search.maxDuration': 'Kesto enintään', 'search.durationHelp': 'Kesto minuutteina (5) tai minuutteina ja sekunteina (2:30).',
  'search.byCaller': 'Näytä vain soittajan {number} puhelut', 'search.byAgent': 'Näytä vain käsittelijän {agent} puhelut',
  'search.tag': 'Tunniste', 'search.byTag': 'Näytä kaikki puhelut, joilla on tunniste {tag}',
  'search.clear': 'Tyhjennä haku',
  'player.back10': '10 s taaksepäin', 'player.forward10': '10 s eteenpäin',
  'player.keys': 'Pikanäppäimet: välilyönti toistaa tai pysäyttää, nuolet vasemmalle ja oikealle siirtävät 10 s, S vaihtaa nopeutta.',
  'player.at': 'Kohdassa {time}', 'player.playing': 'Toisto', 'player.paused': 'Pysäytetty', 'player.speedNow': 'Nopeus {speed}',
  'player.axis': 'Aika-akseli', 'player.resumed': 'Jatketaan kohdasta {time}.',
} as const;

export const en: Record<keyof typeof fi, string> = {
  'search.from': 'From', 'search.to': 'To', 'search.dateHelp': 'A day as 29.11.2026, with a time if you like: 29.11.2026 9.30. Times are Finnish time.',
  'search.presets': 'Time range', 'search.today': 'Today', 'search.yesterday': 'Yesterday', 'search.week': 'Last 7 days',
  'search.minDuration': 'Min. duration', 'search.maxDuration': 'Max. duration', 'search.durationHelp': 'Duration in minutes (5) or minutes and seconds (2:30).',
  'search.byCaller': 'Show only the calls from {number}', 'search.byAgent': 'Show only the calls of {agent}',
  'search.tag': 'Tag', 'search.byTag': 'Show every call tagged {tag}',
  'search.clear': 'Clear the search',
  'player.back10': 'Back 10 s', 'player.forward10': 'Forward 10 s',
  'player.keys': 'Shortcuts: Space plays or pauses, the left and right arrows skip 10 s, S changes the speed.',
  'player.at': 'At {time}', 'player.playing': 'Playing', 'player.paused': 'Paused', 'player.speedNow': 'Speed {speed}',
  'player.axis': 'Time axis', 'player.resumed': 'Continuing from {time}.',
};
