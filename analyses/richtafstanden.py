"""Richtafstanden: guideline distances between a company and a sensitive function, by bedrijfstype.

Source: VNG, *Bedrijven en milieuzonering* (2009), bijlage 1, for the omgevingstype *rustige woonwijk /
rustig buitengebied*; the distance used is the largest of geur, stof, geluid and gevaar. For livestock the
Wet geurhinder en veehouderij (Wgv) and the omgevingsplan's own geurregels come first; the VNG distance
is the screening value a municipality uses where those give none. In a *gemengd gebied* the VNG
publication allows one step less; this screening does not, so it errs on the side of caution.

Each entry: bedrijfstype as the VTH register writes it -> (distance in metres, governing aspect, VNG SBI
code and description).
"""

SOURCE = 'VNG, "Bedrijven en milieuzonering" (2009), bijlage 1, omgevingstype rustige woonwijk'

RICHTAFSTANDEN: dict[str, tuple[int, str, str]] = {
    "Melkrundvee": (100, "geur", "0141, 0142 fokken en houden van rundvee"),
    "Vleesvee": (100, "geur", "0141, 0142 fokken en houden van rundvee"),
    "Schapen": (100, "geur", "0143 fokken en houden van schapen, geiten en paarden"),
    "Geiten": (100, "geur", "0143 fokken en houden van schapen, geiten en paarden"),
    "Paarden": (100, "geur", "0143 fokken en houden van schapen, geiten en paarden"),
    "Vleesvarkens": (200, "geur", "0144 fokken en houden van varkens"),
    "Zeugen": (200, "geur", "0144 fokken en houden van varkens"),
    "Leghennen": (200, "geur", "0145 fokken en houden van pluimvee"),
    "Vleeskuikens": (200, "geur", "0145 fokken en houden van pluimvee"),
    "Loonbedrijf": (100, "geluid", "0161 loonbedrijven, b.o. > 500 m² (oppervlak onbekend: de grootste)"),
    "Glastuinbouw WKK": (30, "geluid", "011, 012 tuinbouw: kassen met gasverwarming"),
    "Asfaltcentrale": (300, "geur, stof, geluid", "2399.1 asfaltcentrales, p.c. < 100.000 t/j"),
    "Betonmortelcentrale": (100, "stof, geluid", "2363 betonmortelcentrales, p.c. < 100 t/u"),
    "Metaalbewerking": (100, "geluid", "25 vervaardiging van producten van metaal, b.o. < 2.000 m²"),
    "Voedingsmiddelenindustrie": (100, "geur", "10 voedingsmiddelenindustrie, categorie 3.2 (typische waarde)"),
}
DEFAULT = (100, "geur", "bedrijfstype niet in de tabel: categorie 3.2 (100 m) als voorzichtige aanname")


def richtafstand(bedrijfstype: str | None) -> tuple[int, str, str]:
    """(metres, aspect, VNG entry) for a bedrijfstype; the cautious default when the table lacks it.

    >>> richtafstand("Vleesvarkens")[0], richtafstand("Onbekend")[0]
    (200, 100)
    """
    return RICHTAFSTANDEN.get(str(bedrijfstype or "").strip(), DEFAULT)
