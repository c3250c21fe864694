<?xml version="1.0"?>
<geo:GeoInformatieObjectVaststelling
  xmlns:basisgeo="http://www.geostandaarden.nl/basisgeometrie/1.0"
  xmlns:geo="https://standaarden.overheid.nl/stop/imop/geo/"
  xmlns:gio="https://standaarden.overheid.nl/stop/imop/gio/"
  xmlns:gml="http://www.opengis.net/gml/3.2" 
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  schemaversie="@@@VERSION@@@">

  <geo:context>
    <gio:GeografischeContext>
      <gio:achtergrondVerwijzing>top10nl</gio:achtergrondVerwijzing>
      <gio:achtergrondActualiteit>2019-01-01</gio:achtergrondActualiteit>
    </gio:GeografischeContext>
  </geo:context>

  <geo:vastgesteldeVersie>
    <geo:GeoInformatieObjectVersie>
      <geo:FRBRWork>/join/id/regdata/gm0037/2019/Centrumgebied</geo:FRBRWork>
      <geo:FRBRExpression>/join/id/regdata/gm0037/2019/Centrumgebied/nld@2019-06-18;3520</geo:FRBRExpression>
      <geo:locaties>
        <geo:featureMember>
        <geo:Locatie>
          <geo:geometrie>
            <basisgeo:Geometrie>
              <basisgeo:id>D28AF779-7EDD-4A88-8B11-809798F53636</basisgeo:id>
              <basisgeo:geometrie>
                <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992">
                  <gml:surfaceMember>
                    <gml:Polygon>
                      <gml:exterior>
                        <gml:LinearRing>
                          <gml:posList>138189.291973878 424664.586667557 138330.1813784
                            424712.302960418 138554.555403801 424598.429074509 138934.732997256
                            424595.102643709 139068.936773216 424523.441275136 138963.90400585
                            423863.769638232 138097.427966576 424206.05521773 138142.308262013
                            424434.281913822 138189.291973878 424664.586667557</gml:posList>
                        </gml:LinearRing>
                      </gml:exterior>
                    </gml:Polygon>
                  </gml:surfaceMember>
                </gml:MultiSurface>
              </basisgeo:geometrie>
            </basisgeo:Geometrie>
          </geo:geometrie>
        </geo:Locatie>
        </geo:featureMember>
      </geo:locaties>
    </geo:GeoInformatieObjectVersie>
  </geo:vastgesteldeVersie>
</geo:GeoInformatieObjectVaststelling>
