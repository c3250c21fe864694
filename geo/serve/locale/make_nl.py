"""Writes messages.po and messages.mo of the Dutch translation of pygeoapi's page texts (run after editing TEXTS).

pygeoapi 0.24 ships its templates with ``{% trans %}`` but no Dutch catalogue; the server's ``locale_dir``
(set in geo.serve.server.create_app) points here, so the HTML pages speak Dutch to advisors.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

TEXTS = {
    'API Definition': 'API-definitie',
    'Address': 'Adres',
    'Admin': 'Beheer',
    'Assets': 'Bestanden',
    'AsyncAPI Definition': 'AsyncAPI-definitie',
    'AsyncAPI Document': 'AsyncAPI-document',
    'Asynchronous': 'Asynchroon',
    'Browse': 'Bekijken',
    'Browse Items': 'Objecten bekijken',
    'Browse jobs': 'Taken bekijken',
    'Browse through the items of': 'Bekijk de objecten van',
    'CRS': 'Coördinatenstelsel',
    'Collections': 'Collecties',
    'Conformance': 'Conformiteit',
    'Contact URL': 'Contactpagina',
    'Contact instructions': 'Contactinstructies',
    'Contact point': 'Contactpunt',
    'Coverage': 'Rasterdekking',
    'Data Type': 'Gegevenstype',
    'Data collections in this service': 'Gegevenscollecties in deze dienst',
    'Description': 'Beschrijving',
    'Display Coverage': 'Toon rasterdekking',
    'Display Coverage of': 'Toon de rasterdekking van',
    'Display Queryables': 'Toon doorzoekbare velden',
    'Display Queryables of': 'Toon de doorzoekbare velden van',
    'Display Schema': 'Toon schema',
    'Display Schema of': 'Toon het schema van',
    'Display Tiles': 'Toon tegels',
    'Display Tiles of': 'Toon de tegels van',
    'Documentation': 'Documentatie',
    'Duration': 'Duur',
    'Email': 'E-mail',
    'Epoch': 'Epoche',
    'Exception': 'Fout',
    'Execution modes': 'Uitvoeringswijzen',
    'Fax': 'Fax',
    'Finished processing': 'Klaar',
    'Home': 'Start',
    'Hours': 'Openingstijden',
    'Id': 'Id',
    'Inputs': 'Invoer',
    'Item': 'Object',
    'Items': 'Objecten',
    'Items in this collection': 'Objecten in deze collectie',
    'JSON': 'JSON',
    'Job': 'Taak',
    'Job ID': 'Taak-id',
    'Job result': 'Resultaat van de taak',
    'Job status': 'Status van de taak',
    'Jobs': 'Taken',
    'Keywords': 'Trefwoorden',
    'Last Modified': 'Laatst gewijzigd',
    'Last modified': 'Laatst gewijzigd',
    'License': 'Licentie',
    'Limit': 'Aantal',
    'Links': 'Links',
    'Message': 'Bericht',
    'Metadata': 'Metadata',
    'Name': 'Naam',
    'Next': 'Volgende',
    'No items': 'Geen objecten',
    'OpenAPI Document': 'OpenAPI-document',
    'Outputs': 'Uitvoer',
    'Parameters': 'Parameters',
    'Powered by ': 'Gemaakt met ',
    'Prev': 'Vorige',
    'Process': 'Proces',
    'Process ID': 'Proces-id',
    'Processes': 'Processen',
    'Processes in this service': 'Processen (analyses) in deze dienst',
    'Progress': 'Voortgang',
    'Properties': 'Eigenschappen',
    'Property': 'Eigenschap',
    'Provider': 'Aanbieder',
    'Pub/Sub Notifications': 'Meldingen (Pub/Sub)',
    'Queryables': 'Doorzoekbare velden',
    'ReDoc': 'ReDoc',
    'Record collections in this service': 'Catalogi in deze dienst',
    'Reference Systems': 'Referentiestelsels',
    'Results': 'Resultaten',
    'Results of job': 'Resultaten van taak',
    'Schema': 'Schema',
    'Size': 'Grootte',
    'SpatioTemporal Assets': 'Ruimtelijke bestanden (STAC)',
    'Start': 'Begin',
    'Started processing': 'Gestart',
    'Status': 'Status',
    'Storage CRS': 'Opslagstelsel',
    'Subscribe to notifications from this service': 'Abonneer op meldingen van deze dienst',
    'Swagger UI': 'Swagger UI',
    'Synchronous': 'Synchroon',
    'Telephone': 'Telefoon',
    'Terms of service': 'Gebruiksvoorwaarden',
    'Tile Matrix Set': 'Tegelschema',
    'Tile Matrix Sets': "Tegelschema's",
    'Tile matrix sets available in this service': "Tegelschema's van deze dienst",
    'Tiles': 'Tegels',
    'Title': 'Titel',
    'Type': 'Soort',
    'UI': 'UI',
    'URL': 'Over deze dienst',
    'Value': 'Waarde',
    'View the SpatioTemporal Assets in this service': 'Bekijk de ruimtelijke bestanden van deze dienst',
    'View the Tile Matrix Sets available on this service': "Bekijk de tegelschema's van deze dienst",
    'View the collections in this service': 'Bekijk de kaartlagen en analyseresultaten van deze dienst',
    'View the conformance classes of this service': 'Bekijk de conformiteitsklassen van deze dienst',
    'View the processes in this service': 'Bekijk de analyses (processen) van deze dienst',
    'Warning': 'Waarschuwing',
    'Warning: Basemap may be in a different projection': 'Let op: de achtergrondkaart kan een andere projectie hebben',
    'Warning: Higher limits not recommended!': 'Let op: een hogere limiet wordt afgeraden!',
    'default': 'standaard',
    'description': 'beschrijving',
    'extent': 'omvang',
    'text_direction': 'ltr',
}


def main() -> None:
    catalog = Catalog(locale="nl", project="omgevingsgeo", charset="utf-8")
    for msgid, text in TEXTS.items():
        catalog.add(msgid, text)
    folder = Path(__file__).parent / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "messages.po", "wb") as fh:
        write_po(fh, catalog, omit_header=True, sort_output=True)
    with open(folder / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)


if __name__ == "__main__":
    main()
